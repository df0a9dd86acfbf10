import { describe, expect, it } from 'vitest';
import type { DatasetSummary, FeatureSummary } from '../../../functions/engine/baseline/feature-summary.ts';
import type { FeatureDrift } from '../../../functions/engine/drift/compute-drift.ts';
import { dataEvidence } from '../../../functions/engine/report/data-evidence.ts';
import type { DriftReport } from '../../../functions/engine/report/drift-report.ts';

const numeric = (name: string, mean: number, stdDev: number, missing = 0): FeatureSummary =>
  ({
    name,
    inferredType: 'Fractional',
    present: 100 - missing,
    missing,
    numeric: { count: 100 - missing, sum: mean * (100 - missing), mean, stdDev, min: 0, max: 0, exact: true },
  }) as unknown as FeatureSummary;

const categorical = (name: string, counts: Record<string, number>): FeatureSummary => ({
  name,
  inferredType: 'String',
  present: Object.values(counts).reduce((a, b) => a + b, 0),
  missing: 0,
  categories: { counts: new Map(Object.entries(counts)), other: 0 },
});

const drift = (name: string, type: 'numerical' | 'categorical', over: Partial<FeatureDrift>): FeatureDrift =>
  ({
    name,
    type,
    status: 'ok',
    method: type === 'numerical' ? 'wasserstein' : 'jensenshannon',
    statistic: 0.05,
    threshold: 0.1,
    drifted: false,
    missingShare: 0,
    ...over,
  }) as FeatureDrift;

const report = (features: FeatureDrift[]): DriftReport =>
  ({
    dataset: {
      rowsBaseline: 100,
      rowsCurrent: 100,
      drifted: true,
      driftedShare: 0.5,
      driftShareThreshold: 0.5,
    },
    features,
  }) as unknown as DriftReport;

const summary = (features: FeatureSummary[]): DatasetSummary => ({ rows: 100, features });

describe('dataEvidence', () => {
  it('states where a numerical feature went, in its units and in baseline standard deviations', () => {
    // Prepare: the mean moved from 10 to 13 with a baseline sd of 2, i.e. +1.5 sd
    const r = report([drift('temp', 'numerical', { drifted: true, statistic: 0.4 })]);
    // Act
    const evidence = dataEvidence(r, summary([numeric('temp', 10, 2)]), summary([numeric('temp', 13, 2.5)]));
    // Assess
    const [temp] = evidence.features;
    expect(temp).toMatchObject({ name: 'temp', direction: 'up', size: 1.5, score: 0.4, drifted: true });
    expect(temp?.change).toBe('mean 10 -> 13 (+1.5 sd)');
  });

  it('names the category that moved most and the new ones; size is the total variation distance', () => {
    // Prepare: DE 20% -> 50%, FR 80% -> 40%, XX new at 10%: TV = (0.3 + 0.4 + 0.1) / 2 = 0.4
    const r = report([drift('country', 'categorical', { drifted: true, newCategories: ['XX'] })]);
    // Act
    const evidence = dataEvidence(
      r,
      summary([categorical('country', { DE: 20, FR: 80 })]),
      summary([categorical('country', { DE: 50, FR: 40, XX: 10 })]),
    );
    // Assess
    const [country] = evidence.features;
    expect(country?.direction).toBe('changed');
    expect(country?.size).toBeCloseTo(0.4, 12);
    expect(country?.change).toBe('"FR" 80% -> 40% of rows; new: "XX"');
  });

  it('lists drifted features first, then the larger changes, even when a constant baseline moved', () => {
    // Prepare
    const r = report([
      drift('small', 'numerical', {}),
      drift('constant', 'numerical', {}),
      drift('drifted', 'numerical', { drifted: true }),
    ]);
    const base = summary([numeric('small', 0, 1), numeric('constant', 5, 0), numeric('drifted', 0, 1)]);
    const cur = summary([numeric('small', 0.5, 1), numeric('constant', 6, 0), numeric('drifted', 0.1, 1)]);
    // Act
    const names = dataEvidence(r, base, cur).features.map((f) => f.name);
    // Assess
    expect(names).toEqual(['drifted', 'constant', 'small']);
  });

  it('reports the missing share on both sides and a feature without values in the window', () => {
    // Prepare
    const r = report([drift('age', 'numerical', { status: 'no-data', statistic: null, missingShare: 1 })]);
    // Act
    const [age] = dataEvidence(r, summary([numeric('age', 40, 10, 25)]), summary([])).features;
    // Assess
    expect(age).toMatchObject({ direction: 'none', change: 'no values in the window', size: 0 });
    expect(age?.missing).toEqual({ baseline: 0.25, current: 1 });
  });

  it('takes the p-value as the score of a test and the statistic of a distance', () => {
    const r = report([
      drift('a', 'numerical', { method: 'ks', statistic: 0.3, pValue: 0.001 }),
      drift('b', 'numerical', { method: 'psi', statistic: 0.3 }),
    ]);
    const s = summary([numeric('a', 0, 1), numeric('b', 0, 1)]);
    const byName = new Map(dataEvidence(r, s, s).features.map((f) => [f.name, f.score]));
    expect(byName.get('a')).toBe(0.001);
    expect(byName.get('b')).toBe(0.3);
  });
});
