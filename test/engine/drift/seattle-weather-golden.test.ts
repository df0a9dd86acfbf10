import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { suggestConstraints } from '../../../functions/engine/baseline/suggest-constraints.ts';
import { computeDrift, type DatasetDrift } from '../../../functions/engine/drift/compute-drift.ts';
import { seattleWeatherByYear } from '../../support/seattle-weather.ts';

// scipy's figures for the same split, made by test/reference/drift/make_seattle_weather_reference.py
const reference = JSON.parse(
  readFileSync('test/reference/drift/seattle-weather-2012-vs-2015.json', 'utf8'),
) as {
  rowsBaseline: number;
  rowsCurrent: number;
  features: Record<string, Record<string, unknown>>;
};

const expectRelative = (actual: number | undefined, expected: number, tolerance = 1e-9) => {
  expect(actual).toBeDefined();
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual! - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
};

describe('drift on seattle-weather, 2012 vs 2015, against scipy', () => {
  let drift: DatasetDrift;

  beforeAll(async () => {
    const years = await seattleWeatherByYear();
    const baseline = years.get('2012')!;
    const current = years.get('2015')!;
    drift = computeDrift(
      summarizeProfile(baseline),
      summarizeProfile(current),
      suggestConstraints(baseline),
      {
        pValueCorrection: 'none',
      },
    );
  });

  it('counts the rows of each year', () => {
    expect(drift.rowsBaseline).toBe(reference.rowsBaseline);
    expect(drift.rowsCurrent).toBe(reference.rowsCurrent);
  });

  it.each(['precipitation', 'temp_max', 'temp_min', 'wind'])(
    'matches scipy on numerical feature %s',
    (name) => {
      const expected = reference.features[name] as {
        ks: { statistic: number; pValue: number };
        wasserstein: number;
        wassersteinNormed: number;
        psi: number;
        jensenShannon: number;
        kl: number;
        robust: number;
      };
      const feature = drift.features.find((f) => f.name === name)!;
      expect(feature.type).toBe('numerical');
      // 366 and 365 values: below AUTO_TEST_MAX_SAMPLES, so auto picks the KS test
      expect(feature.method).toBe('ks');
      expectRelative(feature.metrics.ks?.statistic, expected.ks.statistic);
      expectRelative(feature.metrics.ks?.pValue, expected.ks.pValue);
      expectRelative(feature.metrics.wasserstein, expected.wasserstein);
      expectRelative(feature.metrics.wassersteinNormed, expected.wassersteinNormed);
      expectRelative(feature.metrics.psi, expected.psi);
      expectRelative(feature.metrics.jensenShannon, expected.jensenShannon);
      expectRelative(feature.metrics.kl, expected.kl);
      expect(feature.modelMonitor?.method).toBe('Robust');
      expect(Math.abs(feature.modelMonitor!.distance - expected.robust)).toBeLessThan(1e-12);
      expect(feature.drifted).toBe(expected.ks.pValue < 0.05);
    },
  );

  it('matches scipy on the categorical feature weather', () => {
    const expected = reference.features.weather as {
      chiSquare: { statistic: number; pValue: number; dof: number };
      linf: number;
      jensenShannon: number;
      psi: number;
    };
    const feature = drift.features.find((f) => f.name === 'weather')!;
    expect(feature.type).toBe('categorical');
    expect(feature.method).toBe('chisquare');
    expectRelative(feature.metrics.chiSquare?.statistic, expected.chiSquare.statistic);
    expectRelative(feature.metrics.chiSquare?.pValue, expected.chiSquare.pValue);
    expect(feature.metrics.chiSquare?.dof).toBe(expected.chiSquare.dof);
    expectRelative(feature.metrics.linf, expected.linf);
    expectRelative(feature.metrics.jensenShannon, expected.jensenShannon);
    expectRelative(feature.metrics.psi, expected.psi);
  });
});
