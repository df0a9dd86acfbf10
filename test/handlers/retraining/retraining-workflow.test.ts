import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type {
  ApprovalRequestMessage,
  PromotionPlan,
  RetrainingFailedMessage,
} from '../../../functions/shared/retraining-contract.ts';
import type { SynthesizedApp } from '../../../local/step-functions/retraining-machine.ts';
import { TaskTokenNotFoundError } from '../../../local/step-functions/retraining-runner.ts';
import { examples, RetrainingWorld } from './support/retraining-world.ts';
import { synthesizedApp } from './support/synthesized-app.ts';

/**
 * The retraining state machine synthesized by the CDK app, run in aws-local-stepfunctions with its Lambda
 * tasks bound to the real step handlers (s3rver and dynalite underneath), its SageMaker tasks to the local
 * SageMaker (a threshold trainer on x1, a linear scorer) and its SNS tasks to a local sink.
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

const open = async (model: 'auto-model' | 'manual-model' = 'auto-model', taskTokenTimeoutMs?: number) => {
  world = await RetrainingWorld.start(app, model, { taskTokenTimeoutMs });
  return world;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const states = (tasks: readonly { state: string }[]) => tasks.map((t) => t.state);

describe('the retraining workflow on the local twin', () => {
  test('promotes a better challenger: trains on channel + labelled capture, switches the endpoint, records the champion, asks for a new baseline, unlocks', async () => {
    const w = await open();
    const champion = await w.seedChampion([0, 1]); // scores on x2: no better than chance
    const source = await w.seedChannel(examples(160, 1, 'x1'));
    await w.seedLabelledCapture(examples(40, 2, 'x1'), 5);

    const outcome = await w.runner.run({ name: 'happy-1' });

    expect(outcome.status, outcome.cause ?? '').toBe('SUCCEEDED');
    expect(states(outcome.tasks)).toEqual([
      'LoadModel',
      'AcquireLock',
      'InspectEndpoint',
      'PrepareData',
      'TrainChallenger',
      'CreateChallengerModel',
      expect.stringMatching(/^Score/),
      expect.stringMatching(/^Score/),
      'Evaluate',
      'RegisterVersion',
      'PlanPromotion',
      'CreateRestorePoint',
      'CreateChallengerConfig',
      'DeployChallenger',
      ...states(outcome.tasks).filter((name) => name === 'DescribeDeployment'),
      'RecordPromotion',
      'NewBaseline',
      'ReleaseLock',
    ]);
    const state = outcome.output!;
    const data = state.data!;
    expect(data.jobName).toMatch(/^auto-model-20261123080000-[0-9a-f]{4}$/);
    expect(state.evaluation).toMatchObject({ decision: 'promote', primaryMetric: 'aucRoc' });
    expect(state.evaluation!.challenger.aucRoc).toBeGreaterThan(0.95);
    expect(state.evaluation!.improvement).toBeGreaterThan(0.3);
    expect(state.outcome).toEqual({ version: 2, status: 'champion', championVersion: 2 });

    // the registry: version 2 is champion, trained by this job, replacing version 1
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 2, previousVersion: 1 });
    expect(await w.registry.getVersion('auto-model', 2)).toMatchObject({
      trainingJobName: data.jobName,
      sagemakerModelName: data.jobName,
      artifactUri: state.training!.modelArtifactsUri,
    });
    const ledger = await w.ledger.get('auto-model', 2);
    expect(ledger).toMatchObject({
      status: 'champion',
      details: { hyperparameters: { steepness: '6' }, manifestSha256: data.manifestSha256, comparedWith: 1 },
    });

    // the endpoint serves the challenger; the old config is what rollback would use
    expect(state.current).toMatchObject({
      endpointConfigName: champion.configName,
      endpointStatus: 'InService',
      modelName: champion.modelName,
      adoptedChampionVersion: null,
      restoreConfigName: `${data.jobName}-prev`,
    });
    const endpoint = w.sageMaker.describeEndpoint(w.endpointName);
    expect(endpoint).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: data.jobName });
    // the live config copied as it was: it had no capture (turning capture on is not promotion's business)
    expect(endpoint.DataCaptureConfig).toBeUndefined();
    const answer = await w.sageMaker.invokeEndpoint({ endpoint: w.endpointName, body: '0.9,0' });
    expect(answer.modelName).toBe(data.jobName);
    expect(Number(answer.body)).toBeGreaterThan(0.9);

    // the manifest: every source hashed, capture joined with ground truth, counts and time range
    const manifestText = await w.objectText(data.manifestUri);
    expect(sha256(manifestText)).toBe(data.manifestSha256);
    const manifest = JSON.parse(manifestText);
    expect(manifest.sources).toEqual([
      expect.objectContaining({ channel: 'train', sha256: sha256(source), records: 160, malformed: 0 }),
    ]);
    expect(manifest.capture).toMatchObject({
      capturedRecords: 45,
      labelledRecords: 40,
      unmatchedPredictions: 5,
      timeRange: { first: '2026-11-23T06:00:00.000Z', last: '2026-11-23T06:00:00.000Z' },
    });
    expect(manifest.capture.objects[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.capture.groundTruthObjects).toHaveLength(1);
    expect(data.recordCount).toBe(200);
    expect(manifest.holdout.records).toBe(50);
    expect(manifest.channels.train.records).toBe(150);

    // the new baseline: requested for version 2 on the prepared dataset, and written
    expect(w.baseline.requests).toHaveLength(1);
    expect(w.baseline.requests[0]!.trigger.detail).toEqual({
      model: 'auto-model',
      datasetUri: data.baselineDatasetUri,
      version: 2,
    });
    expect(state.baseline!.statisticsUri).toBe('s3://capture-store/baselines/auto-model/2/statistics.json');
    expect(JSON.parse(await w.objectText(state.baseline!.statisticsUri)).dataset.item_count).toBe(150);

    // the lock is free again and the run is on record for the cooldown
    expect(state.release).toEqual({ released: true });
    expect(await w.locks.holder('auto-model', 'retraining', w.clock.now)).toBeUndefined();
    expect(await w.runs.list('auto-model')).toEqual([
      expect.objectContaining({ execution: outcome.id, endedAt: w.clock.now.toISOString() }),
    ]);
    expect(w.sns.messages).toEqual([]);
  });

  test('fails a training failure into rollback, lock release and a critical alert, leaving the champion serving', async () => {
    const w = await open();
    const champion = await w.seedChampion([1, 0]);
    await w.seedChannel(examples(60, 3, 'x1').map((e) => ({ ...e, label: 1 as const }))); // one class only

    const outcome = await w.runner.run({ name: 'fails-1' });

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('States.TaskFailed');
    expect(JSON.parse(outcome.cause!)).toMatchObject({
      TrainingJobStatus: 'Failed',
      FailureReason: 'AlgorithmError: training data holds one class only',
    });
    expect(states(outcome.tasks)).toEqual([
      'LoadModel',
      'AcquireLock',
      'InspectEndpoint',
      'PrepareData',
      'TrainChallenger',
      'Rollback',
      'ReleaseLockAfterFailure',
      'AlertFailure',
    ]);
    const [alert] = w.sns.ofKind('retraining-failed');
    expect(alert?.attributes).toMatchObject({ severity: 'critical', model: 'auto-model' });
    const message = alert?.json as RetrainingFailedMessage;
    expect(message).toMatchObject({
      kind: 'retraining-failed',
      model: 'auto-model',
      executionId: outcome.id,
      failure: { Error: 'States.TaskFailed' },
      endpoint: null,
      rollback: { rolledBack: false, endpointConfigName: null },
    });
    expect((message.rollback as { detail: string }).detail).toContain('untouched');
    expect(await w.locks.holder('auto-model', 'retraining', w.clock.now)).toBeUndefined();
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 1 });
    expect(await w.registry.listVersions('auto-model')).toHaveLength(1);
    expect(w.sageMaker.describeEndpoint(w.endpointName).EndpointConfigName).toBe(champion.configName);
  });

  test('rolls a promotion back when the step after it fails: old endpoint config and old champion again', async () => {
    const w = await open();
    const champion = await w.seedChampion([0, 1]);
    await w.seedChannel(examples(120, 4, 'x1'));
    w.baseline.failNext('statistics could not be written');

    const outcome = await w.runner.run({ name: 'late-failure-1' });

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('BaselineJobError');
    const plan = outcome.tasks.find((t) => t.state === 'PlanPromotion')?.output as { Payload: PromotionPlan };
    const restorePoint = plan.Payload.current.restoreConfigName!;
    const ran = states(outcome.tasks);
    const after = ran.slice(ran.indexOf('RecordPromotion'));
    expect(after.slice(0, 4)).toEqual([
      'RecordPromotion',
      'NewBaseline',
      'DescribeForRestore',
      'RestoreEndpoint',
    ]);
    expect(after.slice(-4)).toEqual([
      'DescribeForRestore',
      'Rollback',
      'ReleaseLockAfterFailure',
      'AlertFailure',
    ]);
    expect(after.filter((name) => name === 'RestoreEndpoint')).toHaveLength(1);
    const rollback = outcome.tasks.find((t) => t.state === 'Rollback')?.output as { Payload: unknown };
    expect(rollback.Payload).toMatchObject({ rolledBack: true, endpointConfigName: restorePoint });
    await w.sageMaker.settled();
    // back on a copy of the config that served before: the same variants and models
    expect(w.sageMaker.describeEndpoint(w.endpointName)).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: restorePoint,
    });
    expect(w.sageMaker.describeEndpointConfig(restorePoint).ProductionVariants).toEqual(
      w.sageMaker.describeEndpointConfig(champion.configName).ProductionVariants,
    );
    const alerted = w.sns.ofKind('retraining-failed')[0]?.json as RetrainingFailedMessage | undefined;
    expect(alerted?.endpoint).toMatchObject({
      outcome: 'restored',
      requested: true,
    });
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 1, previousVersion: 2 });
    expect(await w.ledger.get('auto-model', 2)).toMatchObject({ status: 'rolled-back' });
    expect(await w.locks.holder('auto-model', 'retraining', w.clock.now)).toBeUndefined();
  });

  test('rejects a challenger worse than the champion and changes nothing', async () => {
    const w = await open();
    const champion = await w.seedChampion([1, 1]); // uses both features: the labels follow x1 + x2
    await w.seedChannel(examples(200, 5, 'x1+x2'));

    const outcome = await w.runner.run({ name: 'worse-1' });

    expect(outcome.status).toBe('SUCCEEDED');
    const state = outcome.output!;
    expect(state.evaluation!.decision).toBe('reject');
    expect(state.evaluation!.improvement).toBeLessThan(0);
    expect(state.evaluation!.champion!.aucRoc).toBeGreaterThan(state.evaluation!.challenger.aucRoc!);
    expect(state.outcome).toEqual({ version: 2, status: 'rejected', championVersion: 1 });
    expect(states(outcome.tasks)).not.toContain('DeployChallenger');
    expect(states(outcome.tasks).slice(-2)).toEqual(['RecordRejection', 'ReleaseLock']);
    expect(await w.registry.getChampion('auto-model')).toMatchObject({ version: 1 });
    expect(await w.ledger.get('auto-model', 2)).toMatchObject({ status: 'rejected' });
    expect(w.sageMaker.describeEndpoint(w.endpointName).EndpointConfigName).toBe(champion.configName);
    expect(w.baseline.requests).toEqual([]);
  });

  test('skips without training when another execution holds the lock', async () => {
    const w = await open();
    await w.seedChampion([1, 0]);
    await w.seedChannel(examples(100, 6, 'x1'));
    await w.locks.acquire('auto-model', 'retraining', 'arn:aws:states:::execution:other', 3600, w.clock.now);

    // started the way the alert router starts it (the WorkflowStarter port); a redelivery finds the first run
    const starter = w.runner.asWorkflowStarter();
    const request = {
      stateMachineArn: w.runner.machine.stateMachineArn,
      name: 'held-1',
      input: {
        model: w.model,
        trigger: {
          id: 'evt-1',
          source: 'model-care',
          detailType: 'Retraining Requested',
          time: w.clock.now.toISOString(),
          detail: { model: 'auto-model', reason: 'aucRoc fell below 0.7', severity: 'critical' },
        },
      },
    };
    const started = await starter.start(request);
    expect(await starter.start(request)).toEqual({
      executionArn: started.executionArn,
      alreadyStarted: true,
    });
    const outcome = await w.runner.execution('held-1')!.result;
    expect(outcome.id).toBe(started.executionArn);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output!.lock).toEqual({ acquired: false, reason: 'held', lockId: null, expiresAt: null });
    expect(states(outcome.tasks)).toEqual(['LoadModel', 'AcquireLock']);
    expect(w.trainer.jobs).toEqual([]);
    expect((await w.locks.holder('auto-model', 'retraining', w.clock.now))?.owner).toBe(
      'arn:aws:states:::execution:other',
    );
  });

  test.each([
    [true, 'champion', 2],
    [false, 'rejected', 1],
  ] as const)(
    'asks a person with a task token and, when approved = %s, records %s',
    async (approved, status, championVersion) => {
      const w = await open('manual-model');
      const champion = await w.seedChampion([0, 1]);
      await w.seedChannel(examples(120, 7, 'x1'));

      const execution = w.runner.start({ name: `approval-${approved}` });
      const pending = await w.runner.nextTaskToken(execution.name);
      const request = pending.message.json as ApprovalRequestMessage;
      expect(pending.message.attributes).toMatchObject({ kind: 'approval-request', severity: 'warning' });
      expect(request).toMatchObject({
        kind: 'approval-request',
        model: 'manual-model',
        executionId: execution.id,
        taskToken: pending.token,
        version: { version: 2 },
        evaluation: { decision: 'needs-approval' },
      });
      expect(w.sageMaker.describeEndpoint(w.endpointName).EndpointConfigName).toBe(champion.configName);

      w.runner.sendTaskSuccess(pending.token, { approved, approver: 'ana', comment: 'checked the holdout' });
      const outcome = await execution.result;

      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.output!.approval).toEqual({
        requested: true,
        approved,
        response: { approved, approver: 'ana', comment: 'checked the holdout' },
      });
      expect(outcome.output!.outcome).toMatchObject({ status, championVersion });
      expect(await w.ledger.get('manual-model', 2)).toMatchObject({
        status,
        history: expect.arrayContaining([
          expect.objectContaining({ approval: expect.objectContaining({ approver: 'ana' }) }),
        ]),
      });
      const serving = w.sageMaker.describeEndpoint(w.endpointName).EndpointConfigName;
      expect(serving).toBe(approved ? outcome.output!.data!.jobName : champion.configName);
      expect(w.runner.pendingTaskTokens()).toEqual([]);
    },
  );

  test('rejects the challenger when nobody answers the approval in time, and refuses a late answer', async () => {
    const w = await open('manual-model', 200);
    await w.seedChampion([0, 1]);
    await w.seedChannel(examples(120, 8, 'x1'));

    const execution = w.runner.start({ name: 'approval-timeout' });
    const pending = await w.runner.nextTaskToken(execution.name);
    const outcome = await execution.result;

    expect(outcome.status).toBe('SUCCEEDED');
    expect(states(outcome.tasks).slice(-3)).toEqual(['RequestApproval', 'RecordRejection', 'ReleaseLock']);
    expect(outcome.output!.approval).toEqual({ requested: true, approved: false, response: null });
    expect(outcome.output!.outcome).toMatchObject({ status: 'rejected', championVersion: 1 });
    expect(() => w.runner.sendTaskSuccess(pending.token, { approved: true })).toThrow(TaskTokenNotFoundError);
  });
});
