import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import {
  DEPLOY_DOC,
  renderConfigSchema,
  renderDeployDoc,
  SCHEMA_FILE,
  withGenerated,
} from '../../scripts/config-docs.ts';

/**
 * config/model-care.schema.json and the generated tables of docs/deploy.md must be what `npm run schema` writes
 * from today's sources (the zod config schema, the environment contract); when one is stale, run it.
 */

const EXAMPLES = ['config/model-care.json', 'config/three-models.json', 'config/local.json'];
const read = (file: string): string => readFileSync(file, 'utf8');

describe('generated files', () => {
  test(`${SCHEMA_FILE} is up to date (npm run schema)`, () => {
    expect(read(SCHEMA_FILE)).toBe(renderConfigSchema());
  });

  test(`${DEPLOY_DOC}'s configuration reference and environment table are up to date (npm run schema)`, () => {
    const current = read(DEPLOY_DOC);
    expect(current).toBe(renderDeployDoc(current));
  });

  test('fails on a stale table: a default edited by hand is put back', () => {
    const current = read(DEPLOY_DOC);
    const edited = current.replace('| `holdoutFraction` | 0.2 |', '| `holdoutFraction` | 0.3 |');
    expect(edited).not.toBe(current);
    expect(renderDeployDoc(edited)).toBe(current);
  });

  test('rejects a document without the markers', () => {
    expect(() => withGenerated('# no markers here\n', 'config reference', 'x')).toThrow(/no markers/);
  });
});

describe('the JSON Schema editors use', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(read(SCHEMA_FILE)));

  test.each(EXAMPLES)('accepts %s, which points at it with $schema', (file) => {
    const config = JSON.parse(read(file)) as Record<string, unknown>;
    expect(config.$schema).toBe('./model-care.schema.json');
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  test.each([
    ['rejects a misspelt field', (c: Config) => ({ ...c, stackname: 'x' })],
    ['rejects a config without models', ({ models: _, ...c }: Config) => c],
    [
      'rejects an unknown problem type',
      (c: Config) => ({ ...c, models: [{ ...c.models[0], problemType: 'ranking' }] }),
    ],
    [
      'rejects a log retention CloudWatch does not offer',
      (c: Config) => ({ ...c, retention: { logRetentionDays: 10 } }),
    ],
  ])('%s', (_, change) => {
    const config = JSON.parse(read('config/model-care.json')) as Config;
    expect(validate(change(config))).toBe(false);
  });
});

interface Config {
  readonly models: Record<string, unknown>[];
  readonly [field: string]: unknown;
}
