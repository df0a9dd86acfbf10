import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.ts';

// biome-ignore lint/suspicious/noExplicitAny: the variants below edit arbitrary parts of a parsed JSON file
type Json = any;

const example: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'model-care-verdicts-config-'));

const load = (name: string, change: (model: Json) => void) => {
  const config = structuredClone(example);
  change(config.models[0]);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return loadConfig(file);
};

const failure = (name: string, change: (model: Json) => void): string => {
  try {
    load(name, change);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('verdicts config', () => {
  it('defaults to sequential verdicts with δ = 0.03, α = 0.05, harm-aware severity, the training set after retraining', () => {
    const model = load('defaults', () => {}).models[0]!;
    expect(model.verdicts).toMatchObject({
      relevance: 0.03,
      alpha: 0.05,
      level: 'hour',
      form: 'test',
      severity: 'harm',
    });
    expect(model.baseline).toMatchObject({ seasonality: 'none', afterRetraining: 'training-set' });
  });

  it.each([
    [
      'relevance-high',
      (m: Json) => (m.verdicts = { relevance: 1.5 }),
      /models\[0\]\.verdicts\.relevance: 1\.5 must be in \(0, 1\)/,
    ],
    [
      'relevance-zero',
      (m: Json) => (m.verdicts = { relevance: 0 }),
      /models\[0\]\.verdicts\.relevance: 0 must be in \(0, 1\)/,
    ],
    [
      'alpha-high',
      (m: Json) => (m.verdicts = { alpha: 0.6 }),
      /models\[0\]\.verdicts\.alpha: 0\.6 must be in \(0, 0\.5\]/,
    ],
    [
      'alpha-zero',
      (m: Json) => (m.verdicts = { alpha: 0 }),
      /models\[0\]\.verdicts\.alpha: 0 must be in \(0, 0\.5\]/,
    ],
    [
      'seasonal-untimed',
      (m: Json) => (m.baseline.seasonality = 'hour-of-day'),
      /models\[0\]\.baseline\.seasonality: "hour-of-day" needs baseline\.timeField/,
    ],
  ])('rejects %s with one line naming the setting', (name, change, message) => {
    const text = failure(name, change);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(message);
  });
});
