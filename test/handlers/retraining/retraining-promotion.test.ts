import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type {
  PromotionPlan,
  RetrainingFailedMessage,
} from '../../../functions/shared/retraining-contract.ts';
import type { SynthesizedApp } from '../../../local/step-functions/retraining-machine.ts';
import { examples, RetrainingWorld } from './support/retraining-world.ts';
import { synthesizedApp } from './support/synthesized-app.ts';

/**
 * Promotion and rollback on an endpoint with two production variants, data capture, a KMS key and tags: the
 * synthesized state machine in aws-local-stepfunctions, the real step handlers, and the local SageMaker's
 * variants, blue/green DeploymentConfig with AutoRollbackConfiguration alarms, and endpoint statuses.
 */

let app: SynthesizedApp;
let world: RetrainingWorld | undefined;

beforeAll(() => {
  app = synthesizedApp();
});

afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const states = (tasks: readonly { state: string }[]) => tasks.map((t) => t.state);
const planOf = (tasks: readonly { state: string; output?: unknown }[]): PromotionPlan => {
  const output = tasks.find((t) => t.state === 'PlanPromotion')?.output as
    | { Payload: PromotionPlan }
    | undefined;
  if (!output) throw new Error('PlanPromotion did not run');
  return output.Payload;
};

const open = async (): Promise<RetrainingWorld> => {
  world = await RetrainingWorld.start(app, 'auto-model');
  return world;
};

/** what an endpoint serves, variant by variant, without the model names */
const sizing = (w: RetrainingWorld, config: string) =>
  w.sageMaker.describeEndpointConfig(config).ProductionVariants.map(({ ModelName: _, ...rest }) => rest);

describe('promotion on a two-variant endpoint', () => {
  test('swaps only the monitored variant: the other variant, sizing, capture, KMS and tags stay, with guardrails', async () => {
    const w = await open();
    const champion = await w.seedChampion([0, 1], { twoVariants: true });
    await w.seedChannel(examples(160, 11, 'x1'));

    const outcome = await w.runner.run({ name: 'two-variants-1' });

    expect(outcome.status, outcome.cause ?? '').toBe('SUCCEEDED');
    const jobName = outcome.output!.data!.jobName;
    const before = w.sageMaker.describeEndpointConfig(champion.configName);
    const after = w.sageMaker.describeEndpointConfig(jobName);
    expect(after.ProductionVariants).toEqual([
      { ...before.ProductionVariants[0], ModelName: jobName },
      before.ProductionVariants[1],
    ]);
    expect(sizing(w, jobName)).toEqual(sizing(w, champion.configName));
    expect(after.DataCaptureConfig).toEqual(before.DataCaptureConfig);
    expect(after.KmsKeyId).toBe('arn:aws:kms:us-east-1:123456789012:key/team-key');
    expect(w.sageMaker.listTags({ ResourceArn: after.EndpointConfigArn }).Tags).toEqual([
      { Key: 'team', Value: 'risk' },
      { Key: 'model-care:model', Value: 'auto-model' },
      { Key: 'model-care:copied-from', Value: champion.configName },
    ]);

    const endpoint = w.sageMaker.describeEndpoint(w.endpointName);
    expect(endpoint).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: jobName });
    expect(
      endpoint.ProductionVariants.map((v) => [v.VariantName, v.CurrentInstanceCount, v.CurrentWeight]),
    ).toEqual([
      ['AllTraffic', 3, 0.9],
      ['Experiment', 1, 0.1],
    ]);
    // canary 10% for 10 minutes by default, rolled back by the configured alarm
    expect(endpoint.LastDeploymentConfig).toEqual({
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: {
          Type: 'CANARY',
          WaitIntervalInSeconds: 600,
          CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
        },
        MaximumExecutionTimeoutInSeconds: 3600,
      },
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'auto-model-5xx' }] },
    });
    const other = await w.sageMaker.invokeEndpoint({
      endpoint: w.endpointName,
      body: '0.9,0',
      variant: 'Experiment',
    });
    expect(other.modelName).toBe('auto-model-experiment');
    expect(planOf(outcome.tasks).summary).toBe(
      `${w.endpointName}: variant AllTraffic from ${champion.modelName} to ${jobName}, keeping Experiment; ` +
        'blue/green, canary 10% for 10 min, then the rest; rolls back on alarm auto-model-5xx',
    );
  });

  test('a deployment its rollback alarm stops is rolled back inside SageMaker; both variants stay as they were', async () => {
    const w = await open();
    const champion = await w.seedChampion([0, 1], { twoVariants: true });
    await w.seedChannel(examples(160, 12, 'x1'));
    w.sageMaker.setAlarmState('auto-model-5xx', 'ALARM');

    const outcome = await w.runner.run({ name: 'alarm-1' });

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('EndpointUpdateFailed');
    expect(states(outcome.tasks)).toContain('DeployChallenger');
    expect(states(outcome.tasks)).not.toContain('RestoreEndpoint');
    expect(states(outcome.tasks)).not.toContain('RecordPromotion');
    const endpoint = w.sageMaker.describeEndpoint(w.endpointName);
    expect(endpoint).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: champion.configName });
    expect(endpoint.FailureReason).toContain('auto-model-5xx');
    expect(endpoint.ProductionVariants.map((v) => [v.VariantName, v.CurrentInstanceCount])).toEqual([
      ['AllTraffic', 3],
      ['Experiment', 1],
    ]);
    const message = w.sns.ofKind('retraining-failed')[0]?.json as RetrainingFailedMessage;
    expect(message.endpoint).toMatchObject({
      outcome: 'unchanged',
      detail: `endpoint ${w.endpointName} serves ${champion.configName} as before the promotion: nothing to restore`,
    });
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 1 });
    expect(await w.ledger.get('auto-model', 2)).toMatchObject({ status: 'rolled-back' });
  });

  test('rollback waits while the endpoint is busy, then returns it to the restore point', async () => {
    const w = await open();
    const champion = await w.seedChampion([0, 1], { twoVariants: true });
    await w.seedChannel(examples(160, 13, 'x1'));
    // SageMaker's own maintenance starts as the step after the promotion fails, and ends after three polls:
    // rollback finds the endpoint busy and must wait instead of giving up
    let busyPolls = 0;
    const describe = w.sageMaker.describeEndpoint.bind(w.sageMaker);
    w.sageMaker.describeEndpoint = (name) => {
      const found = describe(name);
      if (found.EndpointStatus === 'SystemUpdating' && ++busyPolls === 3) w.sageMaker.endSystemUpdate(name);
      return found;
    };
    w.baseline.failNext('statistics could not be written', () =>
      w.sageMaker.beginSystemUpdate(w.endpointName),
    );

    const outcome = await w.runner.run({ name: 'busy-1' });

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('BaselineJobError');
    const ran = states(outcome.tasks);
    const restoring = ran.slice(ran.indexOf('NewBaseline') + 1, ran.indexOf('RestoreEndpoint'));
    expect(restoring).toHaveLength(4); // three polls through SystemUpdating, one that finds it InService
    expect(busyPolls).toBe(3);
    expect(restoring.every((name) => name === 'DescribeForRestore')).toBe(true);
    const restorePoint = planOf(outcome.tasks).current.restoreConfigName!;
    await w.sageMaker.settled();
    expect(w.sageMaker.describeEndpoint(w.endpointName)).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: restorePoint,
    });
    expect(w.sageMaker.describeEndpointConfig(restorePoint).ProductionVariants).toEqual(
      w.sageMaker.describeEndpointConfig(champion.configName).ProductionVariants,
    );
    const message = w.sns.ofKind('retraining-failed')[0]?.json as RetrainingFailedMessage;
    expect(message.endpoint).toMatchObject({ outcome: 'restored', requested: true });
    expect(message.endpoint?.detail).toMatch(
      new RegExp(
        `^endpoint ${w.endpointName} switched back to ${restorePoint} \\(a copy of ${champion.configName}\\)`,
      ),
    );
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 1 });
  });
});

describe('the first retraining of an endpoint that served before model-care', () => {
  test('registers the serving model as champion, so the challenger is compared with it', async () => {
    const w = await open();
    const serving = await w.seedChampion([0, 1], { register: false });
    await w.seedChannel(examples(160, 14, 'x1'));
    expect(await w.registry.getChampion('auto-model')).toBeUndefined();

    const outcome = await w.runner.run({ name: 'first-1' });

    expect(outcome.status, outcome.cause ?? '').toBe('SUCCEEDED');
    const state = outcome.output!;
    expect(state.current).toMatchObject({ modelName: serving.modelName, adoptedChampionVersion: 1 });
    expect(await w.registry.getVersion('auto-model', 1)).toMatchObject({
      sagemakerModelName: serving.modelName,
      artifactUri: serving.artifactUri,
    });
    expect(states(outcome.tasks)).toContain('ScoreChampion');
    expect(state.data).toMatchObject({ championModelName: serving.modelName, championVersion: 1 });
    expect(state.evaluation?.champion?.aucRoc).toEqual(expect.any(Number));
    expect(await w.ledger.get('auto-model', 2)).toMatchObject({ details: { comparedWith: 1 } });
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 2, previousVersion: 1 });
  });
});
