import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { ConfigError, loadConfig } from '../../lib/config.ts';

// biome-ignore lint/suspicious/noExplicitAny: the variants below edit arbitrary parts of a parsed JSON file
type Json = any;

const example: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'model-care-payload-config-'));

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

describe('payload config (issue 17)', () => {
  it('takes input and output paths, exclude rules and a segment attribute, and survives a second parse', () => {
    // Prepare, Act
    const model = load('good', (m) => {
      m.payload = {
        inputsPath: 'body.features',
        outputsPath: 'predictions[*].score',
        exclude: [
          { attribute: 'traffic', values: ['test'] },
          { inputPath: 'meta.source', values: ['canary'] },
        ],
      };
      m.quality = { segmentAttribute: 'region' };
    }).models[0]!;
    // Assess
    expect(model.payload?.outputsPath).toBe('predictions[*].score');
    expect(model.quality.segmentAttribute).toBe('region');
    expect(parseModelConfig(model)).toEqual(model);
  });

  it('leaves payload out of a model that does not set it', () => {
    expect(load('none', () => {}).models[0]!.payload).toBeUndefined();
  });

  it.each([
    [
      'inputs',
      (m: Json) => (m.payload = { inputsPath: 'body.[' }),
      /models\[0\]\.payload\.inputsPath: .*is not a JMESPath expression/,
    ],
    [
      'outputs',
      (m: Json) => (m.payload = { outputsPath: 'a..b' }),
      /models\[0\]\.payload\.outputsPath: .*is not a JMESPath expression/,
    ],
    [
      'rule',
      (m: Json) => (m.payload = { exclude: [{ inputPath: 'x[', values: ['1'] }] }),
      /models\[0\]\.payload\.exclude\[0\]/,
    ],
    [
      'empty-values',
      (m: Json) => (m.payload = { exclude: [{ attribute: 'traffic', values: [] }] }),
      /models\[0\]\.payload\.exclude\[0\]/,
    ],
    [
      'two-segments',
      (m: Json) => (m.quality = { segmentFeature: m.features[0].name, segmentAttribute: 'region' }),
      /models\[0\]\.quality\.segmentAttribute: .*cannot be set with quality\.segmentFeature/,
    ],
  ])('rejects a bad %s setting, naming the field', (name, change, message) => {
    const text = failure(name, change);
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });
});
