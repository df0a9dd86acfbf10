import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBaseline } from '../../../functions/engine/baseline/load-baseline.ts';
import { suggestConstraints } from '../../../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../../../functions/engine/baseline/write-statistics.ts';
import { InputError } from '../../../functions/engine/errors.ts';
import { runDataCheck } from '../../../functions/engine/monitor/run-data-check.ts';
import type { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../../../functions/engine/profile/profile-sources.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';

const FIXTURES = 'test/fixtures/model-monitor';
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));

const profileFile = async (path: string): Promise<DatasetProfile> => {
  const { profile } = await profileSources([{ name: path, open: () => openFile(path) }], {
    malformed: new MalformedLog(),
  });
  return profile;
};

describe("Model Monitor's data-quality baseline, reproduced", () => {
  let profile: DatasetProfile;
  const theirs = fixture('data_quality--statistics.json');

  beforeAll(async () => {
    profile = await profileFile(`${FIXTURES}/data_quality--baseline_dataset.csv`);
  });

  it('names the headerless columns _c0.._c5 and counts 100 items', () => {
    const ours = toStatisticsFile(profile);
    expect(ours.dataset.item_count).toBe(theirs.dataset.item_count);
    expect(ours.features.map((f) => f.name)).toEqual(theirs.features.map((f: { name: string }) => f.name));
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'reproduces counts, mean, sum, population std_dev, min, max and KLL buckets of _c%i',
    (index) => {
      const ours = toStatisticsFile(profile).features[index]!;
      const expected = theirs.features[index];
      expect(ours.inferred_type).toBe(expected.inferred_type);
      const a = ours.numerical_statistics!;
      const b = expected.numerical_statistics;
      expect(a.common).toEqual(b.common);
      expect(a.mean).toBe(b.mean);
      expect(a.sum).toBe(b.sum);
      expect(Math.abs(a.std_dev - b.std_dev)).toBeLessThanOrEqual(1e-12 * b.std_dev);
      expect(a.min).toBe(b.min);
      expect(a.max).toBe(b.max);
      expect(a.distribution!.kll!.buckets).toEqual(b.distribution.kll.buckets);
      expect(a.distribution!.kll!.sketch!.parameters).toEqual(b.distribution.kll.sketch.parameters);
    },
  );

  it("suggests Model Monitor's constraints for the same data", () => {
    const ours = suggestConstraints(profile);
    const expected = fixture('data_quality--constraints.json');
    expect(ours.features).toEqual(expected.features);
    // Model Monitor's own keys carry its values; ours adds the categorical defaults DESIGN.md lists
    expect(ours.monitoring_config).toMatchObject(expected.monitoring_config);
  });
});

describe("Model Monitor's own files as a baseline", () => {
  it('loads its data-quality statistics and constraints and finds no drift against its own dataset', async () => {
    const baseline = loadBaseline(
      fixture('data_quality--statistics.json'),
      fixture('data_quality--constraints.json'),
    );
    expect(baseline.summary.features).toHaveLength(6);
    expect(baseline.summary.features[0]!.numeric!.exact).toBe(true);
    const window = await profileFile(`${FIXTURES}/data_quality--baseline_dataset.csv`);
    const report = runDataCheck(baseline, window);
    expect(report.dataset.drifted).toBe(false);
    expect(report.violations).toEqual([]);
    // the sketch Model Monitor wrote holds all 100 values, so D is exactly 0
    expect(report.features.every((f) => f.metrics.ks?.statistic === 0)).toBe(true);
  });

  it('loads the string-feature baseline in its older format (enable_comparisons, overrides)', () => {
    const baseline = loadBaseline(fixture('monitor--statistics.json'), fixture('monitor--constraints.json'));
    const message = baseline.summary.features[0]!;
    expect(message.inferredType).toBe('String');
    expect(message.categories!.counts.get('preproc-not-YET-supported-for-csv-json')).toBe(418);
    expect(baseline.constraints.features[1]!.string_constraints!.domains).toEqual([
      'preproc-not-YET-supported-for-csv-json',
    ]);
  });

  it.each([
    [
      'an item that is not a number',
      (data: unknown[][]) => (data[0]![7] = 'x'),
      '[0][7]',
      'number',
      'string',
    ],
    ['an item that is null', (data: unknown[][]) => (data[0]![99] = null), '[0][99]', 'number', 'null'],
    ['a level that is not an array', (data: unknown[][]) => (data[0] = 5 as never), '[0]', 'array', 'number'],
  ])(
    'rejects a sketch with %s, naming the item as zod names any other field',
    (_, damage, at, expected, received) => {
      // Prepare
      const statistics = fixture('data_quality--statistics.json');
      damage(statistics.features[3].numerical_statistics.distribution.kll.sketch.data);
      // Act
      const load = () =>
        loadBaseline(statistics, fixture('data_quality--constraints.json'), {
          statistics: 'base/statistics.json',
          constraints: 'base/constraints.json',
        });
      // Assess
      expect(load).toThrow(
        new InputError(
          {
            file: 'base/statistics.json',
            field: `features[3].numerical_statistics.distribution.kll.sketch.data${at}`,
          },
          `Invalid input: expected ${expected}, received ${received}`,
        ),
      );
    },
  );

  it('rejects a statistics file with a wrong field, naming the file and the field', () => {
    const statistics = fixture('data_quality--statistics.json');
    statistics.features[2].numerical_statistics.mean = 'high';
    expect(() =>
      loadBaseline(statistics, fixture('data_quality--constraints.json'), {
        statistics: 'base/statistics.json',
        constraints: 'base/constraints.json',
      }),
    ).toThrow(
      new InputError(
        { file: 'base/statistics.json', field: 'features[2].numerical_statistics.mean' },
        'Invalid input: expected number, received string',
      ),
    );
  });
});
