import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePayloadMapping,
  compilePayloadPath,
  PayloadExpressionError,
  type PayloadMappingSpec,
  parseCustomAttributes,
} from '../../../functions/engine/readers/payload-mapping.ts';
import { type OpenTableOptions, openTable, type Table } from '../../../functions/engine/readers/table.ts';
import { isCaptureRow, type Row } from '../../../functions/engine/readers/types.ts';
import { chunked, collect, malformedLog } from './support.ts';

interface Side {
  data: string;
  type?: string;
  encoding?: 'CSV' | 'JSON' | 'BASE64';
}

const json = (value: unknown): Side => ({
  data: JSON.stringify(value),
  type: 'application/json',
  encoding: 'JSON',
});
const csv = (data: string): Side => ({ data, type: 'text/csv', encoding: 'CSV' });

const capture = (input: Side, output: Side, meta: Record<string, string> = {}, eventId = 'e'): string =>
  JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: input.type ?? 'application/json',
        mode: 'INPUT',
        data: input.data,
        encoding: input.encoding ?? 'JSON',
      },
      endpointOutput: {
        observedContentType: output.type ?? 'application/json',
        mode: 'OUTPUT',
        data: output.data,
        encoding: output.encoding ?? 'JSON',
      },
    },
    eventMetadata: { eventId, inferenceTime: '2026-01-01T00:00:00Z', ...meta },
    eventVersion: '0',
  });

const open = async (
  lines: string[],
  payload: PayloadMappingSpec,
  extra: Partial<OpenTableOptions> = {},
): Promise<{ table: Table; rows: Row[]; log: ReturnType<typeof malformedLog>; excluded: number[] }> => {
  const log = malformedLog();
  const excluded: number[] = [];
  const table = await openTable('capture.jsonl', chunked(`${lines.join('\n')}\n`, [7, 30]), {
    format: 'capture',
    schema: { inputNames: ['age', 'income'], outputNames: ['score'], payload },
    onMalformed: log.sink,
    onExcluded: ({ line }) => excluded.push(line),
    ...extra,
  });
  return { table, rows: await collect(table.rows), log, excluded };
};

describe('payload paths: where features and outputs sit in JSON payloads', () => {
  it('reads nested inputs and outputs through their paths', async () => {
    // Prepare
    const lines = [
      capture(json({ body: { features: [41, 52000] }, meta: { v: 1 } }), json({ result: { score: 0.8 } })),
      capture(json({ body: { features: [23, 18000] }, meta: { v: 1 } }), json({ result: { score: 0.1 } })),
    ];
    // Act
    const { table, rows, log } = await open(lines, {
      inputsPath: 'body.features',
      outputsPath: 'result.score',
    });
    // Assess
    expect(table.columns).toEqual(['age', 'income', 'score']);
    expect(rows.map((r) => r.values)).toEqual([
      [41, 52000, 0.8],
      [23, 18000, 0.1],
    ]);
    expect(log.records).toEqual([]);
  });

  it('reads a batch request: a projection gives one row per instance', async () => {
    const request = json({ data: { rows: [{ x: [1, 2] }, { x: [3, 4] }] } });
    const response = json({ out: [{ p: 0.2 }, { p: 0.7 }] });
    const { rows } = await open([capture(request, response)], {
      inputsPath: 'data.rows[*].x',
      outputsPath: 'out[*].p',
    });
    expect(rows.map((r) => r.values)).toEqual([
      [1, 2, 0.2],
      [3, 4, 0.7],
    ]);
  });

  it('reads keyed inputs through a path by their own names', async () => {
    const request = json({ payload: { income: 900, age: 30 } });
    const { table, rows } = await open([capture(request, json({ s: 0.5 }))], {
      inputsPath: 'payload',
      outputsPath: 's',
    });
    expect(table.columns).toEqual(['income', 'age', 'score']);
    expect(rows[0]!.values).toEqual([900, 30, 0.5]);
  });

  it('reads a CSV request with a JSON response (the inputs path applies to JSON payloads only)', async () => {
    const { rows, log } = await open([capture(csv('30,900'), json({ prediction: { p: 0.4 } }))], {
      inputsPath: 'instances',
      outputsPath: 'prediction.p',
    });
    expect(rows.map((r) => r.values)).toEqual([['30', '900', 0.4]]);
    expect(log.records).toEqual([]);
  });

  it('reads a base64 JSON response through its path', async () => {
    const response: Side = {
      data: Buffer.from(JSON.stringify({ r: { p: 0.9 } })).toString('base64'),
      type: 'application/json',
      encoding: 'BASE64',
    };
    const { rows } = await open([capture(csv('1,2'), response)], { outputsPath: 'r.p' });
    expect(rows[0]!.values).toEqual(['1', '2', 0.9]);
  });

  it('fails a record whose path matches nothing, naming the path, and keeps the good ones', async () => {
    // Prepare
    const lines = [
      capture(json({ body: { features: [1, 2] } }), json({ score: 0.5 })),
      capture(json({ body: { other: [1, 2] } }), json({ score: 0.5 })),
      capture(json({ body: { features: [3, 4] } }), json({ nothing: 1 })),
      capture(json({ body: { features: [5, 6] } }), json({ score: 0.6 })),
    ];
    // Act
    const { rows, log } = await open(lines, { inputsPath: 'body.features', outputsPath: 'score' });
    // Assess
    expect(rows.map((r) => r.line)).toEqual([1, 4]);
    expect(log.records.map((r) => [r.line, r.field, r.reason])).toEqual([
      [2, 'captureData.endpointInput.data', 'path "body.features" matches nothing'],
      [3, 'captureData.endpointOutput.data', 'path "score" matches nothing'],
    ]);
  });

  it('rejects an expression that does not parse, naming the setting', () => {
    expect(() => compilePayloadMapping({ inputsPath: 'body.[' })).toThrow(PayloadExpressionError);
    expect(() => compilePayloadMapping({ outputsPath: 'a..b' }, 'payload')).toThrow(
      /^payload\.outputsPath: "a\.\.b"/,
    );
    expect(() => compilePayloadMapping({ exclude: [{ inputPath: '', values: ['x'] }] })).toThrow(
      /^payload\.exclude\[0\]\.inputPath: "" is not a JMESPath expression \(empty\)/,
    );
  });

  it('compiles an expression once and reuses it', () => {
    expect(compilePayloadPath('a.b', 'payload.inputsPath')).toBe(
      compilePayloadPath('a.b', 'payload.outputsPath'),
    );
  });
});

describe('payload exclude rules: test and synthetic traffic is left out', () => {
  it('leaves out records by custom attribute and by request field, counting them apart from malformed ones', async () => {
    // Prepare
    const lines = [
      capture(json({ f: [1, 2] }), json({ s: 0.1 }), { customAttributes: 'traffic=synthetic,region=eu' }),
      capture(json({ f: [3, 4], source: 'canary' }), json({ s: 0.2 })),
      capture(json({ f: [5, 6], source: 'app' }), json({ s: 0.3 }), {
        customAttributes: 'traffic=live;region=us',
      }),
      capture(json({ f: [7, 8], source: 'app' }), json({ s: 0.4 })),
    ];
    const payload: PayloadMappingSpec = {
      inputsPath: 'f',
      outputsPath: 's',
      exclude: [
        { attribute: 'traffic', values: ['synthetic', 'test'] },
        { inputPath: 'source', values: ['canary'] },
      ],
    };
    // Act
    const { rows, log, excluded } = await open(lines, payload);
    // Assess
    expect(rows.map((r) => r.values)).toEqual([
      [5, 6, 0.3],
      [7, 8, 0.4],
    ]);
    expect(excluded).toEqual([1, 2]);
    expect(log.records).toEqual([]);
  });

  it('keeps the custom attributes on the rows, for segments', async () => {
    const { rows } = await open(
      [capture(json({ f: [1, 2] }), json({ s: 0.1 }), { customAttributes: 'region=eu' })],
      {
        inputsPath: 'f',
        outputsPath: 's',
      },
    );
    const row = rows[0]!;
    expect(isCaptureRow(row) && row.capture.customAttributes).toBe('region=eu');
  });

  it('gives an empty table in the model columns when every record is excluded (not an unreadable object)', async () => {
    const lines = [capture(json({ f: [1, 2] }), json({ s: 0.1 }), { customAttributes: 'traffic=test' })];
    const { table, rows } = await open(lines, { exclude: [{ attribute: 'traffic', values: ['test'] }] });
    expect(table.columns).toEqual(['age', 'income', 'score']);
    expect(rows).toEqual([]);
  });

  it('rejects a capture whose customAttributes is not a string, as a malformed record', async () => {
    const bad = capture(json({ f: [1, 2] }), json({ s: 0.1 })).replace(
      '"eventId":"e"',
      '"eventId":"e","customAttributes":7',
    );
    const { rows, log } = await open([bad, capture(json({ f: [3, 4] }), json({ s: 0.2 }))], {
      inputsPath: 'f',
      outputsPath: 's',
    });
    expect(rows).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ line: 1, field: 'eventMetadata.customAttributes' });
  });
});

describe('parseCustomAttributes', () => {
  it.each([
    ['traffic=test', [['traffic', 'test']]],
    [
      'a=1, b=2',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    [
      'a=1;b=x=y',
      [
        ['a', '1'],
        ['b', 'x=y'],
      ],
    ],
    ['flag', [['flag', '']]],
    ['', []],
  ])('reads %j', (text, pairs) => {
    expect([...parseCustomAttributes(text)]).toEqual(pairs);
  });

  it('finds every key=value pair it is given (property)', () => {
    const token = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(token, token), { selector: ([k]) => k, maxLength: 6 }), (pairs) => {
        const text = pairs.map(([k, v]) => `${k}=${v}`).join(',');
        expect(Object.fromEntries(parseCustomAttributes(text))).toEqual(Object.fromEntries(pairs));
      }),
    );
  });
});
