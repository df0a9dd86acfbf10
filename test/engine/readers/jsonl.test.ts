import { describe, expect, it } from 'vitest';
import { parseJsonLines } from '../../../functions/engine/readers/jsonl.ts';
import { byteByByte, chunked, collect, malformedLog } from './support.ts';

const file = 'rows.jsonl';

describe('parseJsonLines', () => {
  it('yields each value with its line number, skipping blank lines', async () => {
    const log = malformedLog();
    const text = '{"a":1}\n\n  \n[1,"x",null]\r\n"s"\n42';
    const values = await collect(parseJsonLines(chunked(text, [3, 11]), { file, onMalformed: log.sink }));
    expect(values).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [1, 'x', null] },
      { line: 5, value: 's' },
      { line: 6, value: 42 },
    ]);
    expect(log.records).toEqual([]);
  });

  it('reports a line that is not JSON and goes on', async () => {
    const log = malformedLog();
    const bad = `{"a": ${'9'.repeat(300)}`;
    const values = await collect(
      parseJsonLines(byteByByte(`{"a":1}\n${bad}\n{"a":2}\n`), { file, onMalformed: log.sink }),
    );
    expect(values.map((v) => v.line)).toEqual([1, 3]);
    expect(log.records).toHaveLength(1);
    const [record] = log.records;
    expect(record).toMatchObject({ file, line: 2, raw: bad.slice(0, 200) });
    expect(record?.reason).toMatch(/^malformed JSON: /);
  });

  it('reads multi-byte text split across chunks', async () => {
    const log = malformedLog();
    const values = await collect(
      parseJsonLines(byteByByte('{"name":"Zoë 😀"}\n'), { file, onMalformed: log.sink }),
    );
    expect(values).toEqual([{ line: 1, value: { name: 'Zoë 😀' } }]);
  });
});
