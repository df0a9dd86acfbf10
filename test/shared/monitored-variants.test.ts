import { describe, expect, it } from 'vitest';
import {
  monitoredVariants,
  UnknownVariantError,
  variantResultKey,
} from '../../functions/shared/config/monitored-variants.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';

const modelWith = (endpoint: Record<string, unknown>) =>
  parseModelConfig({
    name: 'churn',
    problemType: 'binary',
    endpoint: { name: 'churn-ep', ...endpoint },
    features: [{ name: 'x', type: 'numerical' }],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-data/churn.csv' },
  });

const LIVE = ['Champion', 'Challenger', 'Shadow'];

describe('the variants a model monitors', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['every variant of the endpoint by default', {}, LIVE],
    [
      'the listed ones, in the endpoint’s order',
      { variants: ['Shadow', 'Champion'] },
      ['Champion', 'Shadow'],
    ],
  ])('%s', (_name, endpoint, expected) => {
    const variants = monitoredVariants(modelWith(endpoint), LIVE);
    expect(variants.map((v) => v.variantName)).toEqual(expected);
    expect(variants[0]).toEqual({
      endpointName: 'churn-ep',
      variantName: expected[0],
      capturePrefix: `capture/churn-ep/${expected[0]}/`,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a listed variant',
      { variants: ['Champion', 'Blue'] },
      'model churn: endpoint.variants names Blue, which endpoint churn-ep does not have (it has Champion, Challenger, Shadow); nothing changed',
    ],
    [
      'an A/B test variant',
      { abTest: { champion: 'Champion', challenger: 'Green' } },
      'model churn: endpoint.abTest names Green, which endpoint churn-ep does not have (it has Champion, Challenger, Shadow); nothing changed',
    ],
  ])('rejects %s the endpoint does not have, with one line naming it', (_name, endpoint, message) => {
    expect(() => monitoredVariants(modelWith(endpoint), LIVE)).toThrow(UnknownVariantError);
    expect(() => monitoredVariants(modelWith(endpoint), LIVE)).toThrow(message);
  });

  it('fills the A/B test’s defaults: no margin, α = 0.05', () => {
    expect(
      modelWith({ abTest: { champion: 'Champion', challenger: 'Challenger' } }).endpoint!.abTest,
    ).toEqual({
      champion: 'Champion',
      challenger: 'Challenger',
      margin: 0,
      alpha: 0.05,
    });
  });

  it('rejects an empty variants list in the config', () => {
    expect(() => modelWith({ variants: [] })).toThrow(/endpoint\.variants/);
  });

  it('keys a variant’s result deterministically by model, variant, job and window', () => {
    expect(variantResultKey('churn', 'quality', 'Challenger', '2026-11-23T08:00:00.000Z')).toBe(
      'reports/churn/variants/Challenger/quality/2026-11-23T08:00:00.000Z.json',
    );
  });
});
