import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { ModelCare } from '../../lib/model-care.ts';
import { testApp } from './support/synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: the variants below edit arbitrary parts of a parsed JSON file
type Json = any;

const example: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'model-care-producers-'));
const LABELLER = 'arn:aws:iam::123456789012:role/churn-labelling';

const writeVariant = (name: string, change: (config: Json) => void): string => {
  const config = structuredClone(example);
  change(config);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
};
const autoApproval = (config: Json) => {
  config.models[0].retraining.approval = 'auto';
};

describe('automatic approval and label producers', () => {
  test('rejects "auto" without producers.labels in one line naming the file, the field and the model', () => {
    const file = writeVariant('auto-open', autoApproval);

    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(
      new ConfigError(
        `${file}: models[0].retraining.approval: "auto" needs producers.labels (the principals allowed to send ` +
          'labels): unrestricted labels could start retraining and promote a model (model "churn")',
      ),
    );
  });

  test('rejects it in the ModelCare construct too, before anything is synthesized', () => {
    const stack = new Stack(testApp(), 'Embedded');
    const models = [structuredClone(example.models[0])];
    models[0].retraining.approval = 'auto';

    expect(() => new ModelCare(stack, 'Care', { models })).toThrow(
      /^ModelCare props: models\[0\]\.retraining\.approval: "auto" needs producers\.labels/,
    );
  });

  test('accepts "auto" once the label producers are named, and "manual" without them', () => {
    const named = writeVariant('auto-named', (config) => {
      autoApproval(config);
      config.models[0].producers = { labels: [LABELLER] };
    });

    expect(loadConfig(named).models[0]?.producers).toEqual({ labels: [LABELLER] });
    expect(loadConfig('config/model-care.json').models[0]?.retraining?.approval).toBe('manual');
  });

  test('rejects a wildcard principal, naming the field', () => {
    const file = writeVariant('wildcard', (config) => {
      config.models[0].producers = { records: ['arn:aws:iam::123456789012:role/*'] };
    });

    expect(() => loadConfig(file)).toThrow(
      `${file}: models[0].producers.records[0]: "arn:aws:iam::123456789012:role/*" has a wildcard`,
    );
  });
});

describe('the capture routes contract', () => {
  test("carries each model's producers to the capture API, and nothing for a model that names none", () => {
    const stack = new Stack(testApp(), 'Routes');
    const config = loadConfig('config/three-models.json');
    const care = new ModelCare(stack, 'Care', { models: config.models });
    // the capture API reads each model's route from the models table (functions/capture-api/capture-route-lookup.ts)
    const captureRoutes = care.config.models.map(captureRouteFor);

    const byModel = Object.fromEntries(captureRoutes.map((route) => [route.model, route.producers]));
    expect(byModel.churn).toEqual({
      records: ['arn:aws:iam::123456789012:role/churn-serving'],
      labels: [LABELLER],
    });
    expect(byModel['demand-forecast']).toBeUndefined();
    expect(JSON.stringify(captureRoutes.find((r) => r.model === 'demand-forecast'))).not.toMatch(/producers/);
  });
});
