import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * The figures written by test/reference/stats/make_stats_reference.py (scipy / numpy / mpmath).
 * Field meanings are documented in that script.
 */
export interface StatsReference {
  readonly versions: Record<string, string>;
  readonly proportionEpsilon: number;
  readonly ksSamples: readonly {
    name: string;
    a: number[];
    b: number[];
    weightsA?: number[];
    weightsB?: number[];
    statistic: number;
    pValue: number;
    n1: number;
    n2: number;
  }[];
  readonly ksPValueGrid: readonly { d: number; n1: number; n2: number; pValue: number }[];
  readonly kstwoSf: readonly { n: number; x: number; sf: number; branch: string }[];
  readonly smirnovSf: readonly { n: number; x: number; sf: number }[];
  readonly lnGamma: readonly { x: number; lnGamma: number }[];
  readonly regularizedGamma: readonly { a: number; x: number; p: number; q: number }[];
  readonly chiSquareSf: readonly { x: number; dof: number; sf: number }[];
  readonly chiSquareContingency: readonly {
    name: string;
    a: number[];
    b: number[];
    statistic: number;
    pValue: number;
    dof: number;
  }[];
  readonly wasserstein: readonly {
    name: string;
    u: number[];
    v: number[];
    uWeights?: number[];
    vWeights?: number[];
    distance: number;
  }[];
  readonly divergences: readonly DivergenceCase[];
  readonly binning: readonly (DivergenceCase & {
    baseline: number[];
    baselineWeights: number[];
    current: number[];
    currentWeights: number[];
    bins: number;
    edges: number[];
    baselineCounts: number[];
    currentCounts: number[];
  })[];
  readonly benjaminiHochberg: readonly { pValues: number[]; adjusted: number[] }[];
  readonly highPrecision: {
    readonly lnGamma: readonly { x: number; lnGamma: number }[];
    readonly regularizedGamma: readonly { a: number; x: number; p: number; q: number }[];
    readonly chiSquareSf: readonly { x: number; dof: number; sf: number }[];
  };
}

export interface DivergenceCase {
  name: string;
  p: number[];
  q: number[];
  linf: number;
  psi: number;
  kl: number;
  jensenShannon: number;
}

export const reference: StatsReference = JSON.parse(
  readFileSync(new URL('../../reference/stats/stats-reference.json', import.meta.url), 'utf8'),
);

/** |actual − expected| <= max(rtol·|expected|, atol); rtol 1e-9 (the contract with scipy), atol 0. */
export const expectClose = (actual: number, expected: number, rtol = 1e-9, atol = 0): void => {
  const tolerance = Math.max(rtol * Math.abs(expected), atol);
  expect(Math.abs(actual - expected), `got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
};

/** Probabilities below this are subnormal-adjacent: scipy itself returns only a few digits there. */
export const TINY_PROBABILITY = 1e-300;

/** Unit weights for plain observations. */
export const ones = (n: number): number[] => new Array<number>(n).fill(1);
