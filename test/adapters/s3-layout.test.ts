import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidKeyPartError } from '../../functions/adapters/errors.ts';
import {
  baselinePrefix,
  captureHourPrefix,
  captureObjectKey,
  captureVariantPrefix,
  groundTruthHourPrefix,
  hourStarts,
  profileDayPrefix,
  profileKey,
  quarantineKey,
  reasonSidecarKey,
  reportPrefix,
} from '../../functions/adapters/s3-layout.ts';

const at = new Date('2026-11-23T08:24:40.153Z');
const uuid = '7f3bd6f2-48a6-4e7b-9d41-f60b8c8c1fa9';

describe('SageMaker capture layout', () => {
  test('hour prefix is capture/<endpoint>/<variant>/yyyy/mm/dd/hh/ in UTC', () => {
    expect(captureHourPrefix('churn-ep', 'AllTraffic', at)).toBe(
      'capture/churn-ep/AllTraffic/2026/11/23/08/',
    );
    // the same instant written with an offset lands in the same UTC hour
    expect(captureHourPrefix('churn-ep', 'AllTraffic', new Date('2026-11-23T09:24:40+01:00'))).toBe(
      'capture/churn-ep/AllTraffic/2026/11/23/08/',
    );
  });

  test('object key is the hour prefix plus <MM-SS-mmm>-<uuid>.jsonl, zero-padded', () => {
    expect(captureObjectKey('churn-ep', 'AllTraffic', at, uuid)).toBe(
      `capture/churn-ep/AllTraffic/2026/11/23/08/24-40-153-${uuid}.jsonl`,
    );
    expect(captureObjectKey('e', 'v', new Date('2026-01-02T03:04:05.006Z'), uuid.toUpperCase())).toBe(
      `capture/e/v/2026/01/02/03/04-05-006-${uuid}.jsonl`,
    );
  });

  test('ground truth uses the same hour partitions per model', () => {
    expect(groundTruthHourPrefix('churn', at)).toBe('ground-truth/churn/2026/11/23/08/');
  });

  test('variant prefix ends with a slash so one endpoint never matches another by prefix', () => {
    expect(captureVariantPrefix('a', 'v')).toBe('capture/a/v/');
  });

  test.each([
    ['endpoint with a slash', () => captureHourPrefix('a/b', 'v', at)],
    ['empty variant', () => captureHourPrefix('a', '', at)],
    ['endpoint with #', () => captureHourPrefix('a#b', 'v', at)],
    ['invalid date', () => captureHourPrefix('a', 'v', new Date('nope'))],
    ['uuid that is not one', () => captureObjectKey('a', 'v', at, 'abc')],
  ])('rejects %s', (_name, build) => {
    expect(build).toThrow(InvalidKeyPartError);
  });
});

describe('model-care layout', () => {
  test('report prefix carries the job and the canonical window start', () => {
    expect(reportPrefix('churn', 'data', '2026-11-23T08:00:00.000Z')).toBe(
      'reports/churn/data/2026-11-23T08:00:00Z/',
    );
    expect(reportPrefix('churn', 'quality', '2026-11-23T09:00+01:00')).toBe(
      'reports/churn/quality/2026-11-23T08:00:00Z/',
    );
    expect(reportPrefix('churn', 'data', new Date('2026-11-23T08:00:00Z'))).toBe(
      'reports/churn/data/2026-11-23T08:00:00Z/',
    );
  });

  test('baseline prefix accepts numeric and labelled versions', () => {
    expect(baselinePrefix('churn', 3)).toBe('baselines/churn/3/');
    expect(baselinePrefix('churn', 'v2026-01')).toBe('baselines/churn/v2026-01/');
  });

  test('profiles of one day share a prefix and sort by window start', () => {
    const key = profileKey('churn', '2026-11-23T08:00:00Z');
    expect(key).toBe('profiles/churn/2026/11/23/2026-11-23T08:00:00Z.json');
    expect(key.startsWith(profileDayPrefix('churn', at))).toBe(true);
    expect(profileKey('churn', '2026-11-23T09:00:00Z') > key).toBe(true);
  });

  test('quarantine keeps the original key and the sidecar sits next to the copy', () => {
    const key = quarantineKey('capture/e/v/2026/11/23/08/x.jsonl');
    expect(key).toBe('quarantine/capture/e/v/2026/11/23/08/x.jsonl');
    expect(reasonSidecarKey(key)).toBe('quarantine/capture/e/v/2026/11/23/08/x.jsonl.reason.json');
  });

  test.each([
    ['a local time without offset', '2026-11-23T08:00:00'],
    ['sub-second window start', '2026-11-23T08:00:00.500Z'],
    ['garbage', 'yesterday'],
  ])('rejects a window start that is %s', (_name, value) => {
    expect(() => reportPrefix('churn', 'data', value)).toThrow(InvalidKeyPartError);
  });
});

describe('hourStarts', () => {
  test('covers a mid-hour window with both hours it touches', () => {
    const hours = hourStarts(new Date('2026-11-23T08:30:00Z'), new Date('2026-11-23T09:30:00Z'));
    expect(hours.map((h) => h.toISOString())).toEqual([
      '2026-11-23T08:00:00.000Z',
      '2026-11-23T09:00:00.000Z',
    ]);
  });

  test('an aligned hour window is exactly one hour; the end is exclusive', () => {
    const hours = hourStarts(new Date('2026-11-23T08:00:00Z'), new Date('2026-11-23T09:00:00Z'));
    expect(hours.map((h) => h.toISOString())).toEqual(['2026-11-23T08:00:00.000Z']);
  });

  test('crosses day, month and year boundaries', () => {
    const hours = hourStarts(new Date('2026-12-31T23:00:00Z'), new Date('2027-01-01T01:00:00Z'));
    expect(hours.map((h) => captureHourPrefix('e', 'v', h))).toEqual([
      'capture/e/v/2026/12/31/23/',
      'capture/e/v/2027/01/01/00/',
    ]);
  });

  test('every instant of the window falls in exactly one listed hour (property)', () => {
    const base = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 1, max: 3 * 86_400_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (offset, length, probe) => {
          const start = new Date(base + offset);
          const end = new Date(base + offset + length);
          const hours = hourStarts(start, end).map((h) => h.getTime());
          const instant = start.getTime() + (probe % length);
          const containing = hours.filter((h) => h <= instant && instant < h + 3_600_000);
          expect(containing).toHaveLength(1);
          expect(hours[0]).toBeLessThanOrEqual(start.getTime());
          expect(hours.at(-1)).toBeLessThan(end.getTime());
        },
      ),
    );
  });

  test('rejects an empty or inverted window', () => {
    expect(() => hourStarts(at, at)).toThrow(InvalidKeyPartError);
    expect(() => hourStarts(at, new Date(at.getTime() - 1))).toThrow(InvalidKeyPartError);
  });
});
