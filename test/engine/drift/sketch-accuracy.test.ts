import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { computeDrift } from '../../../functions/engine/drift/compute-drift.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';

// scipy on the full samples, from test/reference/drift/make_sketch_accuracy_reference.py
const reference = JSON.parse(readFileSync('test/reference/drift/sketch-accuracy.json', 'utf8')) as {
  cases: Array<{ n: number; m: number; power: number; ks: number; wasserstein: number }>;
};

/** feeds a closed-form grid to a profile in a scrambled order, as traffic would arrive */
const gridProfile = (size: number, value: (i: number) => number): DatasetProfile => {
  const profile = new DatasetProfile(['x']);
  const stride = 7919; // prime, coprime with every size used, so i * stride mod size visits each index once
  for (let k = 0; k < size; k++) profile.addRow([value((k * stride) % size)]);
  return profile;
};

describe('drift on sketched samples (beyond exact size)', () => {
  it.each(reference.cases)('keeps KS D within 0.01 of scipy for n=$n, m=$m, power=$power', (c) => {
    const baseline = gridProfile(c.n, (i) => i / c.n);
    const current = gridProfile(c.m, (j) => (j / c.m) ** c.power);
    const drift = computeDrift(summarizeProfile(baseline), summarizeProfile(current), undefined, {
      method: 'ks',
    });
    const feature = drift.features[0]!;
    expect(baseline.features[0]!.numeric.sketch.isExact).toBe(false);
    expect(Math.abs(feature.metrics.ks!.statistic - c.ks)).toBeLessThan(0.01);
    // Wasserstein integrates the same CDF error over a unit-wide support, so the same bound holds
    expect(Math.abs(feature.metrics.wasserstein! - c.wasserstein)).toBeLessThan(0.01);
    expect(feature.baselineCount).toBe(c.n);
    expect(feature.currentCount).toBe(c.m);
  });
});
