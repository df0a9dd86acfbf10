import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertUsableBaseline,
  EmptyBaselineError,
  loadBaseline,
} from '../../../functions/engine/baseline/load-baseline.ts';
import {
  BaselineProfileError,
  toStatisticsFile,
} from '../../../functions/engine/baseline/write-statistics.ts';
import { runDataCheck } from '../../../functions/engine/monitor/run-data-check.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';

const FIXTURES = 'test/fixtures/model-monitor';
const json = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Record<string, unknown>;

/** Model Monitor's own baseline files, as its job would write them for an empty dataset */
const modelMonitorEmpty = () => {
  const statistics = json('data_quality--statistics.json') as {
    dataset: { item_count: number };
    features: Array<Record<string, unknown>>;
  };
  statistics.dataset.item_count = 0;
  statistics.features = statistics.features.map((f) => ({
    name: f.name,
    inferred_type: 'Unknown',
    string_statistics: { common: { num_present: 0, num_missing: 0 } },
  }));
  return loadBaseline(statistics, json('data_quality--constraints.json'), {
    statistics: 'mm/statistics.json',
    constraints: 'mm/constraints.json',
  });
};

const windowOf = (rows: string[][]): DatasetProfile => {
  const profile = new DatasetProfile(['_c0']);
  for (const row of rows) profile.addRow(row);
  return profile;
};

describe('a baseline with nothing in it is refused, not judged against', () => {
  it("rejects Model Monitor's statistics of 0 rows, naming the file and field", () => {
    expect(() => assertUsableBaseline(modelMonitorEmpty())).toThrow(
      new EmptyBaselineError(
        { file: 'mm/statistics.json', field: 'dataset.item_count' },
        'the baseline has 0 rows: nothing to judge a window against; rebuild it from a dataset with rows',
      ),
    );
  });

  it('rejects one without features', () => {
    const statistics = { ...json('data_quality--statistics.json'), features: [] };
    const baseline = loadBaseline(statistics, json('data_quality--constraints.json'));
    expect(() => assertUsableBaseline(baseline)).toThrow(
      /statistics\.json field "features": the baseline has no features/,
    );
  });

  it('makes runDataCheck refuse to give a verdict, whoever calls it', () => {
    expect(() => runDataCheck(modelMonitorEmpty(), windowOf([['1'], ['2']]))).toThrow(EmptyBaselineError);
  });

  it("takes Model Monitor's real baseline as it is", () => {
    const baseline = loadBaseline(
      json('data_quality--statistics.json'),
      json('data_quality--constraints.json'),
    );
    expect(assertUsableBaseline(baseline)).toBe(baseline);
  });
});

describe('a profile with nothing in it does not become a baseline', () => {
  it('rejects a profile of no rows, naming the input', () => {
    const empty = new DatasetProfile(['x', 'cat']);
    expect(() => toStatisticsFile(empty, 'train.csv')).toThrow(BaselineProfileError);
    expect(() => toStatisticsFile(empty, 'train.csv')).toThrow(
      'train.csv: no rows to build a baseline from: nothing written',
    );
  });

  it('says how many records were skipped when every one was malformed', () => {
    const profile = new DatasetProfile(['x']);
    profile.malformed = 5;
    expect(() => toStatisticsFile(profile, 'bad.csv')).toThrow(
      'bad.csv: no rows to build a baseline from (5 malformed record(s) skipped): nothing written',
    );
  });

  it('rejects a profile left with no feature', () => {
    const profile = windowOf([['1']]).without(['_c0']);
    expect(() => toStatisticsFile(profile, 'ids.csv')).toThrow(
      'ids.csv: no features left to build a baseline from',
    );
  });
});
