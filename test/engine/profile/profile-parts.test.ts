import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetProfileJson } from '../../../functions/engine/profile/dataset-profile.ts';
import { ExactSum } from '../../../functions/engine/profile/exact-sum.ts';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import { mergeProfileParts, toProfilePart } from '../../../functions/engine/profile/profile-parts.ts';
import { profileSources } from '../../../functions/engine/profile/profile-sources.ts';
import {
  type ByteRange,
  type LineCount,
  openFileRange,
  splitRanges,
} from '../../../functions/engine/readers/byte-range.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';

const FIXTURES = new URL('../../fixtures/readers/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'model-care-parts-'));

// a window with good and malformed records throughout: the bad-capture corpus five times, then
// Model Monitor's capture sample (same columns once named by the schema)
const window = join(dir, 'window.jsonl');
const bad = readFileSync(`${FIXTURES}bad-capture.jsonl`, 'utf8');
writeFileSync(window, `${Array.from({ length: 5 }, () => bad.trimEnd()).join('\n')}\n`);
const schema = { inputNames: ['a', 'b', 'c'], outputNames: ['p'] };

const whole = async () => {
  const malformed = new MalformedLog();
  const { profile } = await profileSources([{ name: window, open: () => openFile(window) }], {
    format: 'capture',
    schema,
    malformed,
  });
  return { profile, malformed };
};

const part = async (range: ByteRange) => {
  const malformed = new MalformedLog();
  const count: LineCount = { lines: 0 };
  const { profile } = await profileSources(
    [{ name: window, open: () => openFileRange(window, range, count) }],
    {
      format: 'capture',
      schema,
      firstRecord: 'report',
      malformed,
    },
  );
  // through JSON, as a part travels between workers
  return JSON.parse(
    JSON.stringify(toProfilePart({ source: window, range, lines: count.lines, profile, malformed })),
  );
};

/**
 * What must merge exactly: everything but the quantile sketch's items and the running moments; the sum
 * by its value (its partials may split differently).
 */
const exactFields = (json: DatasetProfileJson) => ({
  ...json,
  features: json.features.map(
    ({ numeric: { sketch, m2: _m2, mean: _mean, sum, ...numeric }, ...feature }) => ({
      ...feature,
      numeric: { ...numeric, sum: ExactSum.fromJSON(sum).value(), n: sketch.n },
    }),
  ),
});

describe('profile parts', () => {
  it('merge byte ranges of a window into its single-pass profile and malformed reports', async () => {
    const single = await whole();
    const size = statSync(window).size;
    for (const workers of [1, 2, 3, 5, 8, 13]) {
      const parts = await Promise.all(splitRanges(size, workers).map(part));
      // any order in, window order out
      const merged = mergeProfileParts([...parts].reverse());
      expect(exactFields(merged.profile.toJSON()), `${workers} parts`).toEqual(
        exactFields(single.profile.toJSON()),
      );
      expect(merged.malformed.count).toBe(single.malformed.count);
      expect(merged.malformed.samples).toEqual(single.malformed.samples);
    }
  });

  it('keeps the first samples of the window when parts kept more than the limit', async () => {
    const parts = await Promise.all(splitRanges(statSync(window).size, 3).map(part));
    const single = await whole();
    const merged = mergeProfileParts(parts, 10);
    expect(merged.malformed.samples).toEqual(single.malformed.samples.slice(0, 10));
    expect(merged.malformed.count).toBe(single.malformed.count);
  });

  it('fails on no parts', () => {
    expect(() => mergeProfileParts([])).toThrow(RangeError);
  });
});
