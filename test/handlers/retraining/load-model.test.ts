import { describe, expect, test } from 'vitest';
import type {
  LoadedModelConfig,
  ModelConfigSource,
} from '../../../functions/adapters/model-config-source.ts';
import { ModelNotFoundError } from '../../../functions/adapters/model-store.ts';
import { makeLoadModelHandler } from '../../../functions/retraining/load-model/load-model.ts';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import { model, retraining } from '../../support/model-fixtures.ts';
import { recordingLogger } from './support/silent-logger.ts';

const stack = { stackName: 'ModelCare', region: 'eu-west-1', account: '111122223333' };
const churn = model('churn', {
  endpoint: { name: 'churn-ep', variant: 'AllTraffic' },
  retraining: {
    ...retraining('churn'),
    hyperparameters: { num_round: 200, eta: 0.1 },
    maxRuntimeMinutes: 90,
  },
});
const plain = model('plain');

/** a source answering fixed versions, recording what it was asked */
const source = (configs: Record<string, ModelConfig>, version = 3) => {
  const asked: Array<[string, number | undefined]> = [];
  const configsSource: ModelConfigSource = {
    async load(name, pinned): Promise<LoadedModelConfig> {
      asked.push([name, pinned]);
      const config = configs[name];
      if (!config) throw new ModelNotFoundError(name, pinned);
      return { name, version: pinned ?? version, config };
    },
  };
  return { configs: configsSource, asked };
};

const event = (detail: Record<string, unknown>) => ({
  execution: { id: 'arn:exec', name: 'exec-1', startTime: '2026-11-23T08:00:00Z' },
  trigger: {
    id: 'e-1',
    source: 'model-care',
    detailType: 'Retraining Requested',
    time: '2026-11-23T08:00:00Z',
    detail: { reason: 'drift', ...detail },
  },
});

const handlerWith = (configs: ModelConfigSource) =>
  makeLoadModelHandler({ configs, stack, captureBucket: 'store', logger: recordingLogger() });

describe('load-model', () => {
  test("loads the named model's current config and the settings its SageMaker states run with", async () => {
    const { configs, asked } = source({ churn });
    const result = await handlerWith(configs)(event({ model: 'churn' }));
    expect(asked).toEqual([['churn', undefined]]);
    expect(result).toMatchObject({ retrains: true, modelName: 'churn', model: { name: 'churn' } });
    expect(result.settings).toEqual({
      configVersion: 3,
      accessRoleArn: expect.stringMatching(
        /^arn:aws:iam::111122223333:role\/model-care\/ModelCare\/mc-[0-9a-f]{6}-churn-access$/,
      ),
      trainingRoleArn: expect.stringMatching(/\/model-care\/ModelCare\/mc-[0-9a-f]{6}-churn-training$/),
      trainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      inferenceImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      instanceType: 'ml.m5.xlarge',
      instanceCount: 1,
      volumeSizeGb: 30,
      maxRuntimeSeconds: 90 * 60,
      hyperparameters: { num_round: '200', eta: '0.1' },
      artifactsUri: 's3://store/training/churn/artifacts/',
      transformInstanceType: churn.retraining!.transformInstanceType,
      approvalTimeoutSeconds: 24 * 3600,
      hasEndpoint: true,
    });
  });

  test('reads the version the event pins', async () => {
    const { configs, asked } = source({ churn });
    const result = await handlerWith(configs)(event({ model: 'churn', configVersion: 2 }));
    expect(asked).toEqual([['churn', 2]]);
    expect(result.settings?.configVersion).toBe(2);
  });

  test('answers retrains: false for a model without a retraining section', async () => {
    const { configs } = source({ plain });
    expect(await handlerWith(configs)(event({ model: 'plain' }))).toEqual({
      retrains: false,
      modelName: 'plain',
      model: null,
      settings: null,
    });
  });

  test('rejects an unknown model with the store error', async () => {
    const { configs } = source({});
    await expect(handlerWith(configs)(event({ model: 'ghost' }))).rejects.toThrow(ModelNotFoundError);
  });

  test.each([
    [{ ...event({ model: 'churn' }), trigger: undefined }, 'load-model: event.trigger'],
    [event({}), 'load-model: event.trigger.detail.model'],
    [event({ model: 'churn', configVersion: 0 }), 'load-model: event.trigger.detail.configVersion'],
  ])('rejects a malformed event naming the field (%#)', async (bad, field) => {
    const { configs } = source({ churn });
    await expect(handlerWith(configs)(bad)).rejects.toThrow(field);
  });
});
