import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { suggestConstraints } from '../../../functions/engine/baseline/suggest-constraints.ts';
import { computeDrift } from '../../../functions/engine/drift/compute-drift.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import type { CellValue } from '../../../functions/engine/readers/types.ts';
import { mulberry32 } from '../../support/random.ts';

const profileOf = (columns: string[], rows: CellValue[][]): DatasetProfile => {
  const profile = new DatasetProfile(columns);
  for (const row of rows) profile.addRow(row);
  return profile;
};

const numbers = (n: number, seed: number, shift = 0): CellValue[][] => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => [random() + shift, ['a', 'b', 'c'][Math.floor(random() * 3)]!]);
};

const drift = (base: DatasetProfile, cur: DatasetProfile, options = {}) =>
  computeDrift(summarizeProfile(base), summarizeProfile(cur), suggestConstraints(base), options);

describe('computeDrift', () => {
  it('reports an empty window as no-data, not as drift and not as a crash', () => {
    const base = profileOf(['x', 'k'], numbers(200, 1));
    const result = drift(base, profileOf(['x', 'k'], []));
    expect(result.status).toBe('no-data');
    expect(result.drifted).toBe(false);
    expect(result.rowsCurrent).toBe(0);
    expect(result.features.every((f) => f.status === 'no-data' && !f.drifted)).toBe(true);
  });

  it('reports but does not judge features below the minimum sample size', () => {
    const base = profileOf(['x', 'k'], numbers(200, 1));
    const result = drift(base, profileOf(['x', 'k'], numbers(10, 2, 5)));
    expect(result.status).toBe('insufficient-data');
    const x = result.features.find((f) => f.name === 'x')!;
    expect(x.status).toBe('insufficient-data');
    expect(x.drifted).toBe(false);
    // the figures are still there to look at: the shift of 5 makes D = 1
    expect(x.metrics.ks?.statistic).toBe(1);
  });

  it('detects a shifted numerical feature and leaves an unchanged one alone', () => {
    const base = profileOf(['x', 'k'], numbers(500, 1));
    const shifted = numbers(500, 2).map(([x, k]) => [(x as number) + 0.3, k!]);
    const result = drift(base, profileOf(['x', 'k'], shifted));
    expect(result.features.find((f) => f.name === 'x')!.drifted).toBe(true);
    expect(result.features.find((f) => f.name === 'k')!.drifted).toBe(false);
    expect(result.driftedShare).toBe(0.5);
    expect(result.drifted).toBe(true);
  });

  it('switches to effect sizes above 1000 values, where tests flag negligible differences', () => {
    const base = profileOf(['x', 'k'], numbers(5000, 1));
    const result = drift(base, profileOf(['x', 'k'], numbers(5000, 2, 0.01)));
    const x = result.features.find((f) => f.name === 'x')!;
    const k = result.features.find((f) => f.name === 'k')!;
    expect(x.method).toBe('wasserstein');
    expect(k.method).toBe('jensenshannon');
    expect(x.drifted).toBe(false);
    expect(x.statistic).toBe(x.metrics.wassersteinNormed);
  });

  it('corrects p-values across features with Benjamini-Hochberg', () => {
    const base = profileOf(['x', 'k'], numbers(300, 1));
    const cur = profileOf(['x', 'k'], numbers(300, 2, 0.05));
    const raw = drift(base, cur, { pValueCorrection: 'none' });
    const corrected = drift(base, cur);
    const pRaw = raw.features.map((f) => f.pValue!);
    const pAdjusted = corrected.features.map((f) => f.pValue!);
    // BH with two tests: the smaller p doubles, the larger is max(p_small * 2, p_large) capped at 1
    const [small, large] = [Math.min(...pRaw), Math.max(...pRaw)];
    expect(Math.min(...pAdjusted)).toBeCloseTo(Math.min(small * 2, large), 12);
    expect(Math.max(...pAdjusted)).toBeCloseTo(large, 12);
  });

  it('names new and vanished categories', () => {
    const base = profileOf(
      ['k'],
      [['a'], ['b'], ['c']].flatMap((r) => Array(40).fill(r)),
    );
    const cur = profileOf(
      ['k'],
      [['a'], ['b'], ['d']].flatMap((r) => Array(40).fill(r)),
    );
    const k = drift(base, cur).features[0]!;
    expect(k.newCategories).toEqual(['d']);
    expect(k.vanishedCategories).toEqual(['c']);
    expect(k.metrics.linf).toBeCloseTo(1 / 3, 12);
  });

  it.each(['chisquare', 'linf'] as const)(
    'rejects the categorical method %s for a numerical feature',
    (method) => {
      const base = profileOf(
        ['x'],
        numbers(100, 1).map(([x]) => [x!]),
      );
      expect(() => drift(base, base, { method })).toThrow(/does not apply to numerical feature "x"/);
    },
  );
});
