import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MalformedRecord } from '../../../functions/engine/errors.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import { parseCaptureRecord } from '../../../functions/engine/readers/capture-record.ts';
import { locateCsvPayloads, scanCaptureLine } from '../../../functions/engine/readers/capture-scanner.ts';
import { SpanRow } from '../../../functions/engine/readers/span-row.ts';
import { openCaptureTable } from '../../../functions/engine/readers/table-capture.ts';
import type { TableSchema } from '../../../functions/engine/readers/table-types.ts';
import { decodeUtf8 } from '../../../functions/engine/readers/text.ts';
import type { CaptureRow } from '../../../functions/engine/readers/types.ts';
import { chunked, collect, READER_FIXTURES } from './support.ts';

// The fast path (scanner + span rows) must be invisible: the same rows, the same malformed reports and
// the same profile as the full path (JSON.parse + payload decoder), which `fastPath: false` forces.

interface Outcome {
  columns?: string[];
  rows?: Array<{ line: number; values: unknown[]; capture: unknown }>;
  malformed: MalformedRecord[];
  profile?: unknown;
  error?: string;
  spanRows: number;
}

const read = async (content: string, fastPath: boolean, schema?: TableSchema): Promise<Outcome> => {
  const malformed: MalformedRecord[] = [];
  const text = decodeUtf8(chunked(content, [7, 301, 4096]));
  try {
    const table = await openCaptureTable(
      'cap.jsonl',
      text,
      { onMalformed: (r) => malformed.push(r), schema },
      { fastPath },
    );
    const rows = (await collect(table.rows)) as CaptureRow[];
    // the profile as profile-sources builds it: spans where the reader gave them
    const profile = new DatasetProfile(table.columns);
    for (const row of rows) {
      if (row instanceof SpanRow) profile.addSpans(row.text, row.spans, row.at);
      else profile.addRow(row.values);
    }
    return {
      columns: table.columns,
      rows: rows.map((r) => ({ line: r.line, values: r.values, capture: r.capture })),
      malformed,
      profile: profile.toJSON(),
      spanRows: rows.filter((r) => r instanceof SpanRow).length,
    };
  } catch (error) {
    return { error: String(error), malformed, spanRows: 0 };
  }
};

const expectSameOutcome = async (content: string, schema?: TableSchema): Promise<Outcome> => {
  const fast = await read(content, true, schema);
  const full = await read(content, false, schema);
  expect(full.spanRows).toBe(0);
  expect({ ...fast, spanRows: 0 }).toEqual(full);
  return fast;
};

const good = (data: string, extra: { output?: string; time?: string; id?: string } = {}): string =>
  `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"${data}","encoding":"CSV"},` +
  `"endpointOutput":{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"${extra.output ?? '0.5'}","encoding":"CSV"}},` +
  `"eventMetadata":{"eventId":"${extra.id ?? 'e1'}"${extra.time === undefined ? '' : `,"inferenceTime":"${extra.time}"`}},"eventVersion":"0"}`;

describe('capture fast path', () => {
  it.each([
    ['monitor--capture.jsonl', true],
    ['bad-capture.jsonl', true],
    ['monitor--captured-data.jsonl', false], // JSON payloads: the full path only
  ])('reads %s exactly as the full path does', async (name, csv) => {
    const outcome = await expectSameOutcome(readFileSync(`${READER_FIXTURES}${name}`, 'utf8'));
    // where the fast path applies it must actually have run, or the comparison proves nothing
    expect(outcome.spanRows > 0).toBe(csv);
  });

  it('takes both key orders SageMaker writes, with and without inferenceId and inferenceTime', async () => {
    const lines = [
      good('1,2,a', { time: '2026-11-23T08:00:00Z' }),
      good('3,,b', { id: 'e2' }),
      '{"eventMetadata":{"eventId":"e3","inferenceId":"i3","inferenceTime":"t"},"eventVersion":"0","captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"5,6,c","encoding":"CSV"},"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.7","encoding":"CSV"}}}',
      '{"eventMetadata":{"eventId":"e4","inferenceId":"i4"},"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"7,8,d","encoding":"CSV"},"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.8","encoding":"CSV"}}}',
    ];
    const outcome = await expectSameOutcome(lines.join('\n'));
    expect(outcome.spanRows).toBe(3); // the first record settles the columns through the full path
    expect(outcome.rows!.map((r) => r.capture)).toEqual([
      { eventId: 'e1', inferenceTime: '2026-11-23T08:00:00Z' },
      { eventId: 'e2' },
      { eventId: 'e3', inferenceId: 'i3', inferenceTime: 't' },
      { eventId: 'e4', inferenceId: 'i4' },
    ]);
  });

  it.each([
    ['too few fields', good('1,2')],
    ['too many fields', good('1,2,a,b')],
    ['two output cells', good('1,2,a', { output: '0.5,0.6' })],
    ['blank data', good(' ')],
    ['empty data', good('')],
    ['an empty eventId', good('1,2,a', { id: '' })],
    ['an escaped quote in the data', good('1,2,\\"a\\"')],
    ['a tab in the data', good('1,2,a\\tb')],
    ['a raw tab in the data', good('1,2,a\tb')],
    ['whitespace between tokens', good('1,2,a').replace('"data":', '"data": ')],
    ['a duplicate key', good('1,2,a').replace('"eventVersion":"0"', '"eventVersion":"0","eventVersion":"1"')],
    ['an unknown key', good('1,2,a').replace('"eventVersion":"0"', '"customAttributes":"x"')],
    [
      'a JSON payload',
      good('1,2,a').replace('"data":"1,2,a","encoding":"CSV"', '"data":"[1,2,\\"a\\"]","encoding":"JSON"'),
    ],
    ['a truncated line', good('1,2,a').slice(0, 120)],
  ])('reports or reads a line with %s as the full path does', async (_name, line) => {
    await expectSameOutcome([good('9,9,z'), line, good('8,8,y')].join('\n'));
  });

  it('gives the same rows, reports and profile for fuzzed capture files', async () => {
    const cell = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-0',
        '1',
        '+7',
        '3.0',
        '.5',
        '5.',
        '-1.25e-3',
        '1E10',
        '007',
        '12345678901234567.5',
      ),
      fc.double({ noNaN: true }).map(String),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom('a', 'rain', 'x y', 'ü', '"q"', 'a\\b', 'NaN', 'Infinity', '0x1f'),
      fc.string({ maxLength: 6 }),
    );
    const csv = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const text = fc.oneof(fc.constantFrom('text/csv', 'application/json', ''), fc.string({ maxLength: 5 }));
    const payload = (mode: string) =>
      fc.record(
        {
          observedContentType: text,
          mode: fc.constantFrom(mode, mode, mode, 'OTHER'),
          data: fc.oneof(csv, csv, csv, fc.constantFrom('[1,2,3]', '{"a":1}'), fc.string({ maxLength: 8 })),
          encoding: fc.constantFrom('CSV', 'CSV', 'CSV', 'JSON', 'BASE64', 'XML'),
        },
        { requiredKeys: ['data', 'encoding'] },
      );
    const metadata = fc.record(
      {
        eventId: fc.oneof(fc.uuid(), fc.constantFrom('', 'e'), fc.string({ maxLength: 4 })),
        inferenceId: fc.string({ maxLength: 4 }),
        inferenceTime: fc.constantFrom('2026-11-23T08:00:00Z', '{%s}'),
      },
      { requiredKeys: ['eventId'] },
    );
    const record = fc
      .tuple(payload('INPUT'), payload('OUTPUT'), metadata, fc.boolean(), fc.boolean())
      .map(([endpointInput, endpointOutput, eventMetadata, captureFirst, version]) => {
        const captureData = { endpointInput, endpointOutput };
        const tail = version ? { eventVersion: '0' } : {};
        return captureFirst
          ? { captureData, eventMetadata, ...tail }
          : { eventMetadata, ...tail, captureData };
      });
    const line = fc.oneof(
      { weight: 6, arbitrary: record.map((r) => JSON.stringify(r)) },
      // broken variants: cut short, a character dropped or inserted
      {
        weight: 1,
        arbitrary: fc
          .tuple(record, fc.nat(), fc.constantFrom('', '"', '\\', ',', '}', ' ', '\t'))
          .map(([r, at, insert]) => {
            const json = JSON.stringify(r);
            const cut = at % json.length;
            return insert === '' ? json.slice(0, cut) : json.slice(0, cut) + insert + json.slice(cut + 1);
          }),
      },
      { weight: 1, arbitrary: fc.constantFrom('', '   ', '[]', 'null', '{}') },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (lines, named) => {
          const schema = named ? { inputNames: ['a', 'b'], outputNames: ['p'] } : undefined;
          await expectSameOutcome(lines.join('\n'), schema);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scanCaptureLine', () => {
  it('returns what parseCaptureRecord returns for the parsed line, whenever it takes the line', () => {
    // mostly the usual shape, with odd values, keys and orders mixed in
    const odd = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('a"b', 'a\\b', '\u0001', 'é', '', 7, null),
    );
    const usual = <T>(...values: T[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, odd);
    const payload = (mode: string) =>
      fc.record(
        {
          observedContentType: usual('text/csv', 'application/json'),
          mode: usual(mode),
          data: usual('1,2,a', '0.5', '[1]'),
          encoding: usual('CSV', 'JSON', 'BASE64'),
        },
        { requiredKeys: ['data', 'encoding'] },
      );
    const metadata = fc.record(
      { eventId: usual('e1', 'x'), inferenceId: usual('i1'), inferenceTime: usual('2026-11-23T08:00:00Z') },
      { requiredKeys: ['eventId'] },
    );
    const record = fc
      .tuple(payload('INPUT'), payload('OUTPUT'), metadata, fc.nat(5), fc.boolean())
      .map(([endpointInput, endpointOutput, eventMetadata, order, version]) => {
        const parts: Array<[string, unknown]> = [
          [
            'captureData',
            order === 5 ? { endpointOutput, endpointInput } : { endpointInput, endpointOutput },
          ],
          ['eventMetadata', eventMetadata],
        ];
        if (version) parts.push(['eventVersion', '0']);
        if (order % 2 === 1) parts.reverse();
        return Object.fromEntries(parts);
      });
    let taken = 0;
    fc.assert(
      fc.property(record, (r) => {
        const line = JSON.stringify(r);
        const scanned = scanCaptureLine(line, 4);
        if (scanned === undefined) return;
        taken += 1;
        expect(scanned).toEqual(parseCaptureRecord(JSON.parse(line), { file: 'f', line: 4 }));
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('declines lines that are not exactly valid JSON of the usual shape', () => {
    const line = good('1,2,a');
    expect(scanCaptureLine(line, 1)).toBeDefined();
    for (let cut = 0; cut < line.length; cut++)
      expect(scanCaptureLine(line.slice(0, cut), 1)).toBeUndefined();
    expect(scanCaptureLine(`${line} `, 1)).toBeUndefined();
    expect(scanCaptureLine(line.replace('1,2,a', '1,2,\u0000'), 1)).toBeUndefined();
  });
});

describe('locateCsvPayloads', () => {
  it('finds the data of both CSV payloads, and declines any other encoding', () => {
    const at = new Int32Array(4);
    const line = good('1,2,a', { output: '0.25' });
    expect(locateCsvPayloads(line, at)).toBe(true);
    expect(line.slice(at[0], at[1])).toBe('1,2,a');
    expect(line.slice(at[2], at[3])).toBe('0.25');
    const json = line.replace('"data":"0.25","encoding":"CSV"', '"data":"0.25","encoding":"JSON"');
    expect(scanCaptureLine(json, 1)).toBeDefined();
    expect(locateCsvPayloads(json, at)).toBe(false);
    const base64 = line.replace('"data":"1,2,a","encoding":"CSV"', '"data":"MSwyLGE=","encoding":"BASE64"');
    expect(locateCsvPayloads(base64, at)).toBe(false);
  });
});
