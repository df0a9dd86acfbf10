import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../../../functions/engine/profile/profile-sources.ts';
import { parseJsonAllowingNonFinite } from '../../../functions/engine/readers/non-finite-json.ts';
import { chunked } from './support.ts';

describe("JSON with Python's bare NaN and infinities", () => {
  it.each([
    // what json.dumps writes by default for float('nan'), float('inf'), -float('inf')
    ['[1.5, NaN, Infinity, -Infinity]', [1.5, 'NaN', 'Infinity', '-Infinity']],
    ['{"x": NaN, "y": 2}', { x: 'NaN', y: 2 }],
    [
      '{"instances": [[NaN, 1], [2, -Infinity]]}',
      {
        instances: [
          ['NaN', 1],
          [2, '-Infinity'],
        ],
      },
    ],
    ['NaN', 'NaN'],
    // inside strings they are text, and stay as written
    ['{"note": "NaN \\" Infinity", "v": NaN}', { note: 'NaN " Infinity', v: 'NaN' }],
  ])('reads %s with the tokens as strings', (text, expected) => {
    expect(parseJsonAllowingNonFinite(text)).toEqual(expected);
  });

  it.each(['[NaN', '{"x": nan}', '[Infinityx]', '{"NaN": }'])(
    "rejects %s with the parser's own error",
    (text) => {
      expect(() => parseJsonAllowingNonFinite(text)).toThrow(SyntaxError);
    },
  );

  it('reads any valid JSON exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonAllowingNonFinite(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('turns each such value of a JSON Lines file into a malformed value, its record still used', async () => {
    const malformed = new MalformedLog();
    const text = '{"x": 1.5, "y": 1}\n{"x": NaN, "y": 2}\n{"x": 3.5, "y": -Infinity}\n';
    const { profile } = await profileSources([{ name: 'py.jsonl', open: () => chunked(text) }], {
      malformed,
    });
    expect(profile.rows).toBe(3);
    expect(malformed.count).toBe(0);
    expect(malformed.lines()).toEqual([
      'py.jsonl:2 field "x": "NaN": not a finite number, value skipped',
      'py.jsonl:3 field "y": "-Infinity": not a finite number, value skipped',
    ]);
    expect(profile.features.map((f) => [f.numeric.count, f.numeric.total])).toEqual([
      [2, 5],
      [2, 3],
    ]);
  });
});
