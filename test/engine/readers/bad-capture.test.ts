import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeMalformed } from '../../../functions/engine/errors.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';
import { openTable } from '../../../functions/engine/readers/table.ts';
import type { CaptureRow } from '../../../functions/engine/readers/types.ts';
import { byteByByte, collect, malformedLog, READER_FIXTURES } from './support.ts';

const file = `${READER_FIXTURES}bad-capture.jsonl`;

// every bad line of the corpus: its line, the field at fault (none when the line is not a
// JSON object at all) and a fragment of the reason
const BAD: ReadonlyArray<[line: number, field: string | undefined, reason: string]> = [
  [1, undefined, 'malformed JSON'], // truncated JSON
  [3, 'captureData', 'missing'],
  [4, 'captureData', 'expected an object, found string'],
  [5, 'captureData.endpointInput.encoding', 'unknown encoding "XML"'],
  [6, 'captureData.endpointInput.data', 'expected a string, found number'],
  [7, 'captureData.endpointInput.data', 'undecodable base64'], // bad alphabet
  [8, 'captureData.endpointInput.data', 'undecodable base64'], // bad padding
  [10, 'captureData.endpointInput.data', 'expected 3 fields, found 2'],
  [11, 'captureData.endpointInput.data', 'nested object at instances[0][2]'],
  [12, 'captureData.endpointInput.data', 'empty data'],
  [14, 'eventMetadata', 'missing'],
  [15, 'eventMetadata.eventId', 'expected a string, found number'],
  [16, 'captureData.endpointInput.mode', 'expected "INPUT", found "OUTPUT"'],
  [17, 'captureData.endpointInput.observedContentType', 'unsupported content type "image/png"'],
  [18, 'captureData', '2 input rows but 1 output rows'],
  [20, undefined, 'expected a capture record object, found array'],
  [21, 'captureData.endpointOutput', 'missing, though the first record has it'],
  [23, 'captureData.endpointInput.data', 'malformed JSON payload'],
  [24, 'captureData.endpointInput.data', 'stray quote'],
  [25, 'captureData.endpointInput.encoding', 'missing'],
  [26, 'captureData.endpointInput', 'expected an object, found null'],
  [28, 'captureData', 'holds neither endpointInput nor endpointOutput'],
  [29, 'captureData.endpointInput.data', 'not UTF-8'],
  [30, 'captureData.endpointOutput.data', 'expected 1 fields, found 2'],
  [31, 'eventMetadata.inferenceTime', 'expected a string, found number'],
  [32, 'captureData.endpointInput.data', 'undecodable base64'], // plain text marked BASE64
  [33, undefined, 'malformed JSON'], // truncated mid-object
];

// every good line still yields its rows (line 13 is blank and yields nothing, silently)
const GOOD: ReadonlyArray<[line: number, values: unknown[]]> = [
  [2, ['1', '2', 'a', '0.5']],
  [9, ['3', '4', 'b', '0.25']], // BASE64 of text/csv on both sides
  [19, ['5', '6', 'c', '0.7']],
  [19, ['7', '8', 'd', '0.8']],
  [22, [9, 10, 'e', 0.9]], // JSON instances / predictions
  [27, ['11', '12', 'f', '0.1']],
  [34, ['q,1', null, 'x"y', '0.5']], // quoted CSV, empty field
  [35, ['13', '14', 'g', '0.3']], // last line, no newline
];

describe('bad capture corpus', () => {
  it('reports every bad line with its line number and field, and yields every good row', async () => {
    const log = malformedLog();
    const table = await openTable(file, openFile(file), { onMalformed: log.sink });
    const rows = (await collect(table.rows)) as CaptureRow[];

    expect(table.format).toBe('capture');
    expect(table.columns).toEqual(['_c0', '_c1', '_c2', 'prediction']);
    expect(rows.map((r) => [r.line, r.values])).toEqual(GOOD);
    expect(log.records.map((r) => r.line)).toEqual(BAD.map(([line]) => line));
    for (const [i, [line, field, reason]] of BAD.entries()) {
      const record = log.records[i]!;
      expect({ line: record.line, field: record.field }, describeMalformed(record)).toEqual({ line, field });
      expect(record.reason, `line ${line}`).toContain(reason);
      expect(record.file).toBe(file);
    }
  });

  it('keeps the raw text of each bad line, truncated to 200 characters', async () => {
    const log = malformedLog();
    const table = await openTable(file, openFile(file), { onMalformed: log.sink });
    await collect(table.rows);
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const record of log.records) expect(record.raw).toBe(lines[(record.line ?? 0) - 1]!.slice(0, 200));
  });

  it('carries the capture metadata, inference id included, on each row', async () => {
    const table = await openTable(file, openFile(file), { onMalformed: () => {} });
    const rows = (await collect(table.rows)) as CaptureRow[];
    expect(rows.find((r) => r.line === 27)?.capture).toEqual({
      eventId: 'e-27',
      inferenceId: 'inf-27',
      inferenceTime: '2026-11-23T08:00:00Z',
    });
  });

  it('gives the same report whatever the chunking', async () => {
    const whole = malformedLog();
    const table = await openTable(file, openFile(file), { onMalformed: whole.sink });
    const rows = await collect(table.rows);
    const bytes = malformedLog();
    const split = await openTable(file, byteByByte(readFileSync(file)), { onMalformed: bytes.sink });
    expect(await collect(split.rows)).toEqual(rows);
    expect(bytes.records).toEqual(whole.records);
  });
});
