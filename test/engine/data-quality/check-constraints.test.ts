import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { suggestConstraints } from '../../../functions/engine/baseline/suggest-constraints.ts';
import { checkConstraints } from '../../../functions/engine/data-quality/check-constraints.ts';
import { computeDrift } from '../../../functions/engine/drift/compute-drift.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import type { CellValue } from '../../../functions/engine/readers/types.ts';

const COLUMNS = ['count', 'ratio', 'color'];

const profileOf = (rows: CellValue[][], columns = COLUMNS): DatasetProfile => {
  const profile = new DatasetProfile(columns);
  for (const row of rows) profile.addRow(row);
  return profile;
};

/** 200 clean rows: non-negative integers, fractions in [0, 1], three colours */
const baselineRows = (): CellValue[][] =>
  Array.from({ length: 200 }, (_, i) => [
    String(i % 17),
    String((i % 10) / 10 + 0.05),
    ['red', 'green', 'blue'][i % 3]!,
  ]);

const check = (current: DatasetProfile, columns = current.columns) => {
  const base = profileOf(baselineRows());
  const constraints = suggestConstraints(base);
  const baseline = summarizeProfile(base);
  const window = summarizeProfile(current);
  const drift = computeDrift(baseline, window, constraints);
  return checkConstraints({ constraints, baseline, current: window, currentColumns: columns, drift });
};

const types = (violations: ReturnType<typeof check>) =>
  violations.map((v) => `${v.feature_name}:${v.constraint_check_type}`).sort();

describe('checkConstraints', () => {
  it('finds nothing wrong with data like the baseline', () => {
    expect(check(profileOf(baselineRows()))).toEqual([]);
  });

  it('flags an integer column that now holds fractions (data_type_check)', () => {
    const rows = baselineRows().map((r, i) => (i % 10 === 0 ? ['2.5', r[1]!, r[2]!] : r));
    const violations = check(profileOf(rows));
    expect(types(violations)).toContain('count:data_type_check');
    const v = violations.find((x) => x.constraint_check_type === 'data_type_check')!;
    expect(v.value).toBeCloseTo(0.9, 12);
    expect(v.threshold).toBe(1);
    expect(v.description).toBe(
      'Data type match requirement is not met. Expected data type: Integral, Expected match: 100%. Observed: Only 90% of data is Integral.',
    );
  });

  it('flags missing values where the baseline was complete (completeness_check)', () => {
    const rows = baselineRows().map((r, i) => (i % 4 === 0 ? [r[0]!, null, r[2]!] : r));
    const violation = check(profileOf(rows)).find((v) => v.constraint_check_type === 'completeness_check')!;
    expect(violation.feature_name).toBe('ratio');
    expect(violation.value).toBeCloseTo(0.75, 12);
  });

  it('flags values outside the categorical domain and names them (categorical_values_check)', () => {
    const rows = baselineRows().map((r, i) => (i % 20 === 0 ? [r[0]!, r[1]!, 'purple'] : r));
    const violation = check(profileOf(rows)).find(
      (v) => v.constraint_check_type === 'categorical_values_check',
    )!;
    expect(violation.feature_name).toBe('color');
    expect(violation.value).toBeCloseTo(0.95, 12);
    expect(violation.description).toContain('purple');
  });

  it('flags missing and extra columns', () => {
    const rows = baselineRows().map((r) => [r[0]!, r[2]!, 'x']);
    const violations = check(profileOf(rows, ['count', 'color', 'surprise']));
    expect(types(violations)).toEqual(['ratio:missing_column_check', 'surprise:extra_column_check']);
  });

  it('flags negative values and values beyond the baseline range (value_range_check)', () => {
    const rows = baselineRows().map((r, i) => (i % 10 === 0 ? ['-3', r[1]!, r[2]!] : r));
    const violations = check(profileOf(rows)).filter((v) => v.constraint_check_type === 'value_range_check');
    expect(violations.map((v) => v.feature_name)).toEqual(['count', 'count']);
    expect(violations[0]!.value).toBe(-3);
    expect(violations[1]!.value).toBeCloseTo(0.9, 12);
  });

  it('tolerates the few values outside the baseline range that chance produces', () => {
    // 2 of 200 above the baseline max: Poisson(2 * 200 / 201) makes >= 2 likely (p ~ 0.6)
    const rows = baselineRows().map((r, i) => (i < 2 ? ['17', r[1]!, r[2]!] : r));
    expect(check(profileOf(rows)).filter((v) => v.constraint_check_type === 'value_range_check')).toEqual([]);
  });

  it("writes Model Monitor's exact text for baseline_drift_check", () => {
    const rows = baselineRows().map((r) => [String(Number(r[0]) + 8), r[1]!, r[2]!]);
    const violation = check(profileOf(rows)).find((v) => v.constraint_check_type === 'baseline_drift_check')!;
    expect(violation.feature_name).toBe('count');
    expect(violation.description).toMatch(/^Baseline drift distance: 0\.\d+ exceeds threshold: 0\.1$/);
    expect(violation.value).toBeGreaterThan(0.1);
  });

  it('checks nothing but columns in an empty window (no data is reported elsewhere)', () => {
    expect(check(profileOf([]))).toEqual([]);
  });
});
