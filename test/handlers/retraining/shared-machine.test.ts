import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { modelRoleArn, modelRoleNames } from '../../../functions/shared/model-roles.ts';
import type { SynthesizedApp } from '../../../local/step-functions/retraining-machine.ts';
import type { ExecutionOutcome } from '../../../local/step-functions/retraining-runner.ts';
import { examples, RetrainingWorld } from './support/retraining-world.ts';
import { synthesizedApp } from './support/synthesized-app.ts';

/**
 * The stack's ONE retraining state machine, run for two different models (auto-model and manual-model of the
 * test config): the same synthesized definition, and each execution reads its own model's config, names its
 * SageMaker resources after that model and makes every SageMaker call with that model's own access role.
 */

let app: SynthesizedApp;
const worlds: RetrainingWorld[] = [];

beforeAll(() => {
  app = synthesizedApp();
});

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.stop()));
});

const retrain = async (model: 'auto-model' | 'manual-model') => {
  const world = await RetrainingWorld.start(app, model, { taskTokenTimeoutMs: 200 });
  worlds.push(world);
  await world.seedChampion([0, 1]);
  await world.seedChannel(examples(160, 1, 'x1'));
  await world.seedLabelledCapture(examples(40, 2, 'x1'), 5);
  return { world, outcome: await world.runner.run({ name: `${model}-run` }) };
};

const stack = { stackName: 'RetrainingTest', region: 'us-east-1', account: '123456789012' };
const roleOf = (model: string, role: 'access' | 'training') =>
  modelRoleArn(stack, modelRoleNames(stack, model)[role]);
const sageMakerTasks = (outcome: ExecutionOutcome) =>
  outcome.tasks.filter((task) => task.resource.includes(':sagemaker:'));

describe('one retraining state machine for every model', () => {
  test('runs two models on the same synthesized definition, each with its own config, names and role', async () => {
    const auto = await retrain('auto-model');
    const manual = await retrain('manual-model');

    // one machine: the same ARN and definition for both
    expect(auto.world.runner.machine.stateMachineArn).toBe(manual.world.runner.machine.stateMachineArn);
    expect(auto.world.runner.machine.definition).toEqual(manual.world.runner.machine.definition);

    for (const [model, run] of [
      ['auto-model', auto],
      ['manual-model', manual],
    ] as const) {
      const other = model === 'auto-model' ? 'manual-model' : 'auto-model';
      const output = run.outcome.output ?? null;
      const loaded = run.outcome.tasks.find((task) => task.state === 'LoadModel')?.output as {
        Payload: { model: { name: string }; settings: { accessRoleArn: string } };
      };
      expect(loaded.Payload.model.name).toBe(model);
      expect(loaded.Payload.settings.accessRoleArn).toBe(roleOf(model, 'access'));

      const calls = sageMakerTasks(run.outcome);
      expect(calls.length).toBeGreaterThanOrEqual(4);
      for (const call of calls) expect(call.roleArn, `${model} ${call.state}`).toBe(roleOf(model, 'access'));

      const train = calls.find((call) => call.state === 'TrainChallenger')!.input as Record<string, unknown>;
      expect(train.TrainingJobName).toMatch(new RegExp(`^${model}-\\d{14}-[0-9a-f]{4}$`));
      expect(train.RoleArn).toBe(roleOf(model, 'training'));
      expect(train.HyperParameters).toEqual({ steepness: '6' });
      expect(JSON.stringify(train)).not.toContain(other);
      const model_ = calls.find((call) => call.state === 'CreateChallengerModel')!.input as Record<
        string,
        unknown
      >;
      expect(model_.ExecutionRoleArn).toBe(roleOf(model, 'training'));
      if (output) expect(output.model.name).toBe(model);
    }

    // each model's own approval mode: auto promotes on its endpoint, manual asks and (unanswered) rejects
    expect(auto.outcome.status, auto.outcome.cause ?? '').toBe('SUCCEEDED');
    expect(auto.outcome.output?.outcome?.status).toBe('champion');
    expect(sageMakerTasks(auto.outcome).find((t) => t.state === 'DeployChallenger')?.input).toMatchObject({
      EndpointName: 'auto-model-ep',
    });
    expect(manual.outcome.tasks.map((t) => t.state)).toContain('RequestApproval');
    expect(manual.outcome.tasks.map((t) => t.state)).not.toContain('DeployChallenger');
    expect(manual.outcome.output?.outcome?.status).toBe('rejected');
  });

  test('fails an unknown model at LoadModel, having locked and changed nothing', async () => {
    const world = await RetrainingWorld.start(app, 'auto-model');
    worlds.push(world);
    const outcome = await world.runner.run({
      name: 'no-retraining',
      input: {
        trigger: {
          id: 'e-1',
          source: 'model-care',
          detailType: 'Retraining Requested',
          time: world.clock.now.toISOString(),
          detail: { model: 'not-configured', reason: 'asked by hand' },
        },
      },
    });
    expect(outcome.status).toBe('FAILED');
    expect(outcome.tasks.map((t) => t.state)).toEqual(['LoadModel']);
    expect(outcome.error).toBe('ModelNotFoundError');
  });
});
