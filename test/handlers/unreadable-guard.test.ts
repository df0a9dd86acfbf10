import { describe, expect, test } from 'vitest';
import {
  diagnoseUnreadable,
  guardUnreadable,
  UnreadableCaptureError,
  type UnreadableObject,
} from '../../functions/data-job/unreadable-guard.ts';
import { seattleModel } from './support/seattle.ts';

const model = seattleModel();

const malformedBy = (field: string, reason: string): UnreadableObject => ({
  key: 'capture/seattle/AllTraffic/2026/03/01/10/00-00-000-x.jsonl',
  reason: `...: ${reason}`,
  symptom: 'empty input: no records',
  firstMalformed: { file: 'f', line: 1, field, reason },
});
const inputWidth = (found: number) =>
  malformedBy('captureData.endpointInput.data', `expected 4 fields, found ${found}`);
const gzip: UnreadableObject = {
  key: 'k',
  reason: 'k: cannot gunzip: unexpected end of file',
  symptom: 'cannot gunzip: unexpected end of file',
};

describe('diagnoseUnreadable', () => {
  test.each<[string, UnreadableObject[], number, string]>([
    [
      'request width',
      [inputWidth(9), inputWidth(9), inputWidth(9)],
      4,
      "3 of 4 capture objects have 9 request fields where the config lists 4 features: check the model's features",
    ],
    [
      'response width',
      [malformedBy('captureData.endpointOutput.data', 'expected 1 fields, found 2')],
      1,
      "1 of 1 capture object has 2 response fields where the config lists 1 output: check the model's outputs",
    ],
    [
      'a missing response',
      [malformedBy('captureData.endpointOutput', 'missing, though the first record has it')],
      2,
      '1 of 2 capture objects holds records without a response (captureData.endpointOutput) while the config ' +
        "lists 1 output: capture the endpoint's output too",
    ],
    [
      'another cause, named by its reason',
      [gzip, gzip],
      3,
      '2 of 3 capture objects cannot be read (cannot gunzip: unexpected end of file)',
    ],
    [
      'the most common of mixed causes, and how many others',
      [gzip, inputWidth(5), inputWidth(5)],
      3,
      "2 of 3 capture objects have 5 request fields where the config lists 4 features: check the model's " +
        'features; 1 more cannot be read for other reasons',
    ],
  ])('names the likely cause: %s', (_name, unreadable, total, expected) => {
    expect(diagnoseUnreadable(unreadable, total, model)).toBe(expected);
  });
});

describe('guardUnreadable', () => {
  test.each([
    [0, 0],
    [4, 8],
    [1, 2],
  ])('lets %i unreadable of %i through (at most the share)', (count, total) => {
    expect(() =>
      guardUnreadable(
        Array.from({ length: count }, () => gzip),
        total,
        model,
      ),
    ).not.toThrow();
  });

  test('rejects more than capture.maxUnreadableShare, with the share and the cause', () => {
    const error = (() => {
      try {
        guardUnreadable([gzip, gzip, gzip], 5, seattleModel({ capture: { maxUnreadableShare: 0.5 } }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnreadableCaptureError);
    expect((error as UnreadableCaptureError).share).toBe(0.6);
    expect((error as Error).message).toBe(
      '3 of 5 capture objects cannot be read (cannot gunzip: unexpected end of file) (more than the 0.5 share ' +
        'capture.maxUnreadableShare allows: none was quarantined)',
    );
  });

  test('rejects any unreadable object when the share is 0', () => {
    expect(() => guardUnreadable([gzip], 100, seattleModel({ capture: { maxUnreadableShare: 0 } }))).toThrow(
      UnreadableCaptureError,
    );
  });
});
