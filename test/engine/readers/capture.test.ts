import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import {
  type CapturedPayload,
  decodePayloadRows,
  parseCaptureRecord,
  readCapture,
} from '../../../functions/engine/readers/capture.ts';
import { collect, malformedLog, READER_FIXTURES } from './support.ts';

const at = { file: 'cap.jsonl', line: 3 };
const payloadAt = { ...at, field: 'captureData.endpointInput' };
const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');
const payload = (data: string, encoding: string, observedContentType = 'text/csv'): CapturedPayload =>
  ({ observedContentType, mode: 'INPUT', data, encoding }) as CapturedPayload;

const goodRecord = {
  captureData: {
    endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '1.5,2,a', encoding: 'CSV' },
    endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.83', encoding: 'CSV' },
  },
  eventMetadata: { eventId: 'e1', inferenceId: 'i1', inferenceTime: '2026-11-23T08:24:40Z' },
  eventVersion: '0',
};

/** A copy of goodRecord with one value at a dotted path replaced (undefined deletes it). */
const withValue = (path: string, value: unknown): unknown => {
  const copy = structuredClone(goodRecord) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
};

const thrown = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parseCaptureRecord', () => {
  it('returns metadata and both payloads, still encoded', () => {
    expect(parseCaptureRecord(goodRecord, at)).toEqual({
      line: 3,
      metadata: { eventId: 'e1', inferenceId: 'i1', inferenceTime: '2026-11-23T08:24:40Z' },
      input: { observedContentType: 'text/csv', mode: 'INPUT', data: '1.5,2,a', encoding: 'CSV' },
      output: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.83', encoding: 'CSV' },
    });
  });

  it('accepts a record with only one side captured, and a missing mode', () => {
    const record = parseCaptureRecord(withValue('captureData.endpointOutput', undefined), at);
    expect(record.output).toBeUndefined();
    const noMode = parseCaptureRecord(withValue('captureData.endpointInput.mode', undefined), at);
    expect(noMode.input?.mode).toBe('INPUT');
  });

  it.each([
    ['captureData', undefined, 'captureData', 'missing'],
    ['captureData', [], 'captureData', 'expected an object, found array'],
    ['captureData', {}, 'captureData', 'holds neither endpointInput nor endpointOutput'],
    ['captureData.endpointInput', 'x', 'captureData.endpointInput', 'expected an object, found string'],
    [
      'captureData.endpointInput.encoding',
      'XML',
      'captureData.endpointInput.encoding',
      'unknown encoding "XML"',
    ],
    [
      'captureData.endpointInput.encoding',
      'csv',
      'captureData.endpointInput.encoding',
      'unknown encoding "csv"',
    ],
    ['captureData.endpointOutput.encoding', undefined, 'captureData.endpointOutput.encoding', 'missing'],
    [
      'captureData.endpointInput.data',
      5,
      'captureData.endpointInput.data',
      'expected a string, found number',
    ],
    ['captureData.endpointInput.data', undefined, 'captureData.endpointInput.data', 'missing'],
    [
      'captureData.endpointInput.mode',
      'OUTPUT',
      'captureData.endpointInput.mode',
      'expected "INPUT", found "OUTPUT"',
    ],
    [
      'captureData.endpointOutput.observedContentType',
      1,
      'captureData.endpointOutput.observedContentType',
      'expected a string',
    ],
    ['eventMetadata', undefined, 'eventMetadata', 'missing'],
    ['eventMetadata.eventId', 7, 'eventMetadata.eventId', 'expected a string, found number'],
    ['eventMetadata.eventId', '', 'eventMetadata.eventId', 'empty'],
    ['eventMetadata.inferenceTime', null, 'eventMetadata.inferenceTime', 'expected a string, found null'],
  ])('rejects %s = %j, naming the field', (path, value, field, reason) => {
    const error = thrown(() => parseCaptureRecord(withValue(path, value), at));
    expect(error.location).toEqual({ ...at, field });
    expect(error.reason).toContain(reason);
    expect(error.message).toContain(`cap.jsonl:3 field "${field}"`);
  });

  it('rejects a line that is not an object', () => {
    expect(() => parseCaptureRecord([1, 2], at)).toThrow(
      'cap.jsonl:3: expected a capture record object, found array',
    );
  });

  it('keeps the SDK placeholder "{%s}" as the inference time', () => {
    const record = parseCaptureRecord(withValue('eventMetadata.inferenceTime', '{%s}'), at);
    expect(record.metadata.inferenceTime).toBe('{%s}');
  });
});

describe('decodePayloadRows', () => {
  it.each([
    ['CSV, one line', payload('1.5,2,a', 'CSV'), { rows: [['1.5', '2', 'a']] }],
    ['CSV, empty field is null', payload('1,,x', 'CSV'), { rows: [['1', null, 'x']] }],
    [
      'CSV, several lines',
      payload('1,2\r\n3,4\n', 'CSV'),
      {
        rows: [
          ['1', '2'],
          ['3', '4'],
        ],
      },
    ],
    ['CSV, quoted', payload('"a,b","",3', 'CSV'), { rows: [['a,b', '', '3']] }],
    [
      'JSON instances of arrays',
      payload('{"instances":[[1,"a"],[2,null]]}', 'JSON'),
      {
        rows: [
          [1, 'a'],
          [2, null],
        ],
      },
    ],
    [
      'JSON instances of scalars',
      payload('{"instances": [1.0, 2.0, 5.0]}', 'JSON'),
      { rows: [[1], [2], [5]] },
    ],
    [
      'JSON instances of objects',
      payload('{"instances":[{"a":1,"b":true},{"b":false}]}', 'JSON'),
      {
        rows: [
          [1, true],
          [null, false],
        ],
        names: ['a', 'b'],
      },
    ],
    [
      'JSON instances of {"features": [...]}',
      payload('{"instances":[{"features":[1,2]},{"features":[3,4]}]}', 'JSON'),
      {
        rows: [
          [1, 2],
          [3, 4],
        ],
      },
    ],
    ['JSON features', payload('{"features":[1,"b",false]}', 'JSON'), { rows: [[1, 'b', false]] }],
    ['JSON predictions', payload('{\n "predictions": [3.5, 4.0\n ]\n}', 'JSON'), { rows: [[3.5], [4]] }],
    [
      'JSON predictions of objects',
      payload('{"predictions":[{"score":0.7,"predicted_label":1}]}', 'JSON'),
      { rows: [[0.7, 1]], names: ['score', 'predicted_label'] },
    ],
    ['JSON bare array of scalars', payload('[1,2,"x"]', 'JSON'), { rows: [[1, 2, 'x']] }],
    [
      'JSON array of arrays',
      payload('[[1,2],[3,4]]', 'JSON'),
      {
        rows: [
          [1, 2],
          [3, 4],
        ],
      },
    ],
    [
      'JSON object of scalars',
      payload('{"z":1,"a":"q","m":null}', 'JSON'),
      { rows: [[1, 'q', null]], names: ['z', 'a', 'm'] },
    ],
    ['JSON scalar', payload('0.83', 'JSON'), { rows: [[0.83]] }],
    [
      'JSON Lines by content type',
      payload('{"a":1}\n\n{"a":2}\n', 'JSON', 'application/jsonlines'),
      { rows: [[1], [2]], names: ['a'] },
    ],
    [
      'BASE64 of text/csv',
      payload(b64('1,2\n3,4'), 'BASE64', 'text/csv; charset=utf-8'),
      {
        rows: [
          ['1', '2'],
          ['3', '4'],
        ],
      },
    ],
    [
      'BASE64 of application/json',
      payload(b64('{"features":[1,2]}'), 'BASE64', 'application/json'),
      { rows: [[1, 2]] },
    ],
    [
      'BASE64 of application/jsonlines',
      payload(b64('[1,2]\n[3,4]'), 'BASE64', 'application/jsonlines'),
      {
        rows: [
          [1, 2],
          [3, 4],
        ],
      },
    ],
  ])('decodes %s', (_name, p, expected) => {
    expect(decodePayloadRows(p, payloadAt)).toEqual(expected);
  });

  it.each([
    ['empty CSV data', payload('', 'CSV'), 'data', 'empty data'],
    ['blank JSON data', payload('  \n', 'JSON'), 'data', 'empty data'],
    ['an empty instances list', payload('{"instances":[]}', 'JSON'), 'data', 'no rows in data'],
    ['malformed JSON', payload('{"instances":[1,', 'JSON'), 'data', 'malformed JSON payload'],
    [
      'a nested object in a row',
      payload('{"instances":[[1,{"x":2}]]}', 'JSON'),
      'data',
      'nested object at instances[0][1]',
    ],
    ['a nested array in a keyed row', payload('{"a":[1]}', 'JSON'), 'data', 'nested array at a'],
    [
      'a new key in a later instance',
      payload('{"instances":[{"a":1},{"b":2}]}', 'JSON'),
      'data',
      'unexpected field "b"',
    ],
    ['mixed arrays and objects', payload('[[1],{"a":1}]', 'JSON'), 'data', 'mixes objects and arrays'],
    ['a stray quote in CSV', payload('1,a"b', 'CSV'), 'data', 'bad CSV payload: stray quote'],
    ['base64 with a bad character', payload('MSwy!A==', 'BASE64'), 'data', 'undecodable base64'],
    ['base64 with bad padding', payload('MSwyLA', 'BASE64'), 'data', 'undecodable base64'],
    [
      'base64 of bytes that are not UTF-8',
      payload(b64(Buffer.from([0xff, 0xfe, 0x41])), 'BASE64'),
      'data',
      'not UTF-8',
    ],
    [
      'base64 of an unsupported type',
      payload(b64('x'), 'BASE64', 'image/png'),
      'observedContentType',
      'unsupported content type "image/png"',
    ],
    [
      'base64 without a content type',
      payload(b64('x'), 'BASE64', ''),
      'observedContentType',
      'missing content type',
    ],
    ['an unknown encoding', payload('1', 'PROTOBUF'), 'encoding', 'unknown encoding "PROTOBUF"'],
  ])('rejects %s, naming the field', (_name, p, leaf, reason) => {
    const error = thrown(() => decodePayloadRows(p, payloadAt));
    expect(error.location).toEqual({ ...at, field: `captureData.endpointInput.${leaf}` });
    expect(error.reason).toContain(reason);
  });
});

describe('readCapture', () => {
  it('reads the SDK fixture with CSV payloads and the "{%s}" placeholder', async () => {
    const log = malformedLog();
    const file = `${READER_FIXTURES}monitor--capture.jsonl`;
    const records = await collect(readCapture(createReadStream(file), { file, onMalformed: log.sink }));
    expect(log.records).toEqual([]);
    expect(records).toHaveLength(44);
    expect(records[0]).toEqual({
      line: 1,
      metadata: { eventId: '74b0dd56-e7c8-368e-94b1-14a138a96000', inferenceTime: '{%s}' },
      input: { observedContentType: 'text/csv', mode: 'INPUT', data: '9,45,45,42,7,5,0', encoding: 'CSV' },
      output: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.302709460258', encoding: 'CSV' },
    });
    expect(records.at(-1)?.line).toBe(44);
  });

  it('reads the SDK fixture with JSON payloads', async () => {
    const log = malformedLog();
    const file = `${READER_FIXTURES}monitor--captured-data.jsonl`;
    const records = await collect(readCapture(createReadStream(file), { file, onMalformed: log.sink }));
    expect(log.records).toEqual([]);
    expect(records.map((r) => r.metadata.eventId)).toEqual([
      '12b73486-e916-45de-9d82-7fa23d4a39a6',
      'f9305ead-ba10-401d-953c-8bfb981da274',
    ]);
    const output = records[0]!.output!;
    expect(decodePayloadRows(output, { file, line: 1, field: 'captureData.endpointOutput' })).toEqual({
      rows: [[3.5], [4], [5.5]],
    });
  });

  it('reports bad lines with the field at fault and keeps reading', async () => {
    const log = malformedLog();
    const lines = [
      JSON.stringify(goodRecord),
      '{"captureData":',
      JSON.stringify(withValue('captureData.endpointInput.encoding', 'XML')),
      JSON.stringify(goodRecord),
    ];
    async function* source(): AsyncGenerator<string> {
      yield lines.join('\n');
    }
    const records = await collect(readCapture(source(), { file: 'c.jsonl', onMalformed: log.sink }));
    expect(records.map((r) => r.line)).toEqual([1, 4]);
    expect(log.records.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 2, field: undefined },
      { line: 3, field: 'captureData.endpointInput.encoding' },
    ]);
    expect(log.records[1]?.reason).toContain('unknown encoding "XML"');
    expect(log.records[1]?.raw).toBe(lines[2]!.slice(0, 200));
  });
});
