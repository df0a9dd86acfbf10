import { describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import { makeRecordOutcomeHandler } from '../../../functions/retraining/record-outcome/record-outcome.ts';
import { makeRegisterVersionHandler } from '../../../functions/retraining/register-version/register-version.ts';
import type {
  ApprovalRecord,
  EvaluateResult,
  PrepareDataResult,
  TrainingResult,
} from '../../../functions/shared/retraining-contract.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, stepModel } from './support/step-fixtures.ts';

const REGISTRY = 'steps-registry';
const dynalite = useDynalite([{ name: REGISTRY }]);

const deps = () => ({
  registry: makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient),
  ledger: makeDynamoVersionLedger(REGISTRY, dynalite.current.documentClient),
  now: () => new Date('2026-11-23T09:00:00Z'),
  logger: recordingLogger(),
});

const data = (job: string, championVersion: number | null = null): PrepareDataResult => ({
  jobName: job,
  channelUris: { train: `s3://store/training/m/${job}/channels/train/` },
  inputDataConfig: [],
  manifestUri: `s3://store/training/m/${job}/manifest.json`,
  manifestSha256: 'b'.repeat(64),
  recordCount: 120,
  baselineDatasetUri: `s3://store/training/m/${job}/baseline/dataset.csv`,
  holdout: {
    inputUri: 's3://store/h/',
    labelsUri: 's3://store/h/labels.csv',
    contentType: 'text/csv',
    challengerTransformJobName: `${job}-c`,
    challengerOutputUri: 's3://store/h/c/',
    championTransformJobName: `${job}-p`,
    championOutputUri: 's3://store/h/p/',
  },
  championModelName: championVersion === null ? null : `m-v${championVersion}`,
  championVersion,
  encoder: { uri: `s3://store/training/m/artifacts/${job}/encoder.json`, sha256: 'e'.repeat(64) },
});
const training = (job: string): TrainingResult => ({
  trainingJobName: job,
  trainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${job}`,
  modelArtifactsUri: `s3://store/training/m/artifacts/${job}/output/model.tar.gz`,
});
const evaluation: EvaluateResult = {
  decision: 'promote',
  primaryMetric: 'aucRoc',
  challenger: { aucRoc: 0.91, accuracy: 0.85 },
  champion: { aucRoc: 0.8, accuracy: 0.8 },
  improvement: 0.11,
  summary: 'challenger aucRoc 0.91 vs champion 0.80',
};
const noApproval: ApprovalRecord = { requested: false, approved: null, response: null };

const register = (model: string, job: string, name = job, championVersion: number | null = null) =>
  makeRegisterVersionHandler(deps())({
    model: stepModel({ name: model }),
    execution: execution(name),
    data: data(job, championVersion),
    training: training(job),
    evaluation,
  });

describe('register-version', () => {
  test('registers the challenger as the next version with its artifact, job, model, manifest and metrics', async () => {
    const d = deps();
    await d.registry.registerVersion('reg-a', {
      version: 1,
      createdAt: '2026-10-01T00:00:00Z',
      artifactUri: 's3://store/v1',
      evaluation: {},
    });
    expect(await register('reg-a', 'job-2', 'exec-2', 1)).toEqual({
      version: 2,
      registeredAt: '2026-11-23T09:00:00.000Z',
    });
    expect(await d.registry.getVersion('reg-a', 2)).toEqual({
      model: 'reg-a',
      version: 2,
      createdAt: '2026-11-23T09:00:00.000Z',
      artifactUri: training('job-2').modelArtifactsUri,
      trainingJobName: 'job-2',
      sagemakerModelName: 'job-2',
      dataManifestKey: 'training/m/job-2/manifest.json',
      baselinePrefix: 'baselines/reg-a/2/',
      evaluation: { aucRoc: 0.91, accuracy: 0.85 },
    });
    expect(await d.ledger.get('reg-a', 2)).toMatchObject({
      status: 'registered',
      details: {
        hyperparameters: { depth: '3' },
        trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1',
        manifestSha256: 'b'.repeat(64),
        decision: 'promote',
        comparedWith: 1,
      },
      history: [{ status: 'registered', executionId: execution('exec-2').id }],
    });
  });

  test('finds its own version when retried, and concurrent executions get distinct versions', async () => {
    const first = await register('reg-b', 'job-1');
    expect(await register('reg-b', 'job-1')).toEqual(first);
    const raced = await Promise.all(['job-2', 'job-3', 'job-4'].map((job) => register('reg-b', job)));
    expect(raced.map((r) => r.version).sort()).toEqual([2, 3, 4]);
    const versions = await deps().registry.listVersions('reg-b');
    expect(versions.map((v) => v.trainingJobName)).toHaveLength(4);
    expect((await deps().ledger.get('reg-b', 1))?.history).toHaveLength(1);
  });
});

describe('record-outcome', () => {
  const record = (model: string, version: number, outcome: 'promoted' | 'rejected', approval = noApproval) =>
    makeRecordOutcomeHandler(deps())({
      model: stepModel({ name: model }),
      execution: execution('exec-9'),
      outcome,
      version: { version, registeredAt: '2026-11-23T09:00:00Z' },
      evaluation,
      approval,
      deployment:
        outcome === 'promoted' ? { endpointStatus: 'InService', endpointConfigName: 'job-2' } : null,
    });

  test('makes a promoted version champion, replacing the previous one, and says where it serves', async () => {
    await register('out-a', 'job-1');
    await deps().registry.setChampion('out-a', 1, null);
    await register('out-a', 'job-2');
    const approval: ApprovalRecord = {
      requested: true,
      approved: true,
      response: { approved: true, approver: 'ana' },
    };
    expect(await record('out-a', 2, 'promoted', approval)).toEqual({
      version: 2,
      status: 'champion',
      championVersion: 2,
    });
    expect(await deps().registry.getChampion('out-a')).toMatchObject({ version: 2, previousVersion: 1 });
    // a retry changes nothing: the champion keeps its rollback target
    expect(await record('out-a', 2, 'promoted', approval)).toMatchObject({ status: 'champion' });
    expect(await deps().registry.getChampion('out-a')).toMatchObject({ version: 2, previousVersion: 1 });
    const ledger = await deps().ledger.get('out-a', 2);
    expect(ledger?.status).toBe('champion');
    expect(ledger?.history.at(-1)).toMatchObject({
      detail: 'endpoint churn-ep serves job-2 (InService)',
      approval: { approver: 'ana' },
    });
    expect(ledger?.history).toHaveLength(2);
  });

  test.each([
    [noApproval, 'challenger aucRoc 0.91 vs champion 0.80'],
    [
      {
        requested: true,
        approved: false,
        response: { approved: false, approver: 'bob', comment: 'too soon' },
      },
      'rejected by bob: too soon',
    ],
    [{ requested: true, approved: false, response: null }, 'nobody answered the approval request in time'],
  ] as const)('marks a rejected version with why (%#), leaving the champion', async (approval, why) => {
    const model = `out-r${why.length}`;
    await register(model, 'job-1');
    await deps().registry.setChampion(model, 1, null);
    await register(model, 'job-2');
    expect(await record(model, 2, 'rejected', approval as ApprovalRecord)).toEqual({
      version: 2,
      status: 'rejected',
      championVersion: 1,
    });
    expect((await deps().ledger.get(model, 2))?.history.at(-1)).toMatchObject({
      status: 'rejected',
      detail: why,
    });
  });
});
