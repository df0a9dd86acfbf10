import { describe, expect, test } from 'vitest';
import { makeS3StoreFor } from '../../../functions/adapters/s3/s3-object-store.ts';
import {
  makeEvaluateHandler,
  TransformOutputError,
} from '../../../functions/retraining/evaluate/evaluate.ts';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import type { PrepareDataResult, TrainingResult } from '../../../functions/shared/retraining-contract.ts';
import { useS3rver } from '../../support/s3rver.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, stepModel } from './support/step-fixtures.ts';

const STORE = 'eval-store';
const s3 = useS3rver([STORE]);

// eight holdout rows; a perfect ranking, a half-right one, and one that is wrong everywhere
const LABELS = ['1', '0', '1', '0', '1', '0', '1', '0'];
const PERFECT = ['0.9', '0.1', '0.8', '0.2', '0.7', '0.3', '0.95', '0.05'];
const MIXED = ['0.9', '0.8', '0.1', '0.2', '0.7', '0.3', '0.4', '0.6'];
const WRONG = ['0.1', '0.9', '0.2', '0.8', '0.3', '0.7', '0.05', '0.95'];

let job = 0;

/** a prepared holdout and the transforms' outputs, written where prepare-data and SageMaker put them */
const evaluate = async (
  model: ModelConfig,
  challenger: readonly string[] | undefined,
  champion: readonly string[] | null | undefined,
) => {
  job += 1;
  const jobName = `${model.name}-20261123080000-${String(job).padStart(4, '0')}`;
  const root = `training/${model.name}/${jobName}/`;
  const store = makeS3StoreFor(s3.current.client)(STORE);
  const uri = (key: string) => `s3://${STORE}/${root}${key}`;
  await store.put(
    `${root}holdout/features/part-00000.csv`,
    LABELS.map((_, i) => `${i},0\n`).join(''),
    'text/csv',
  );
  await store.put(`${root}holdout/labels.csv`, LABELS.map((l) => `${l}\n`).join(''), 'text/csv');
  if (challenger)
    await store.put(`${root}holdout/challenger/part-00000.csv.out`, `${challenger.join('\n')}\n`, 'text/csv');
  if (champion)
    await store.put(`${root}holdout/champion/part-00000.csv.out`, `${champion.join('\n')}\n`, 'text/csv');
  const data: PrepareDataResult = {
    jobName,
    channelUris: { train: uri('channels/train/') },
    inputDataConfig: [],
    manifestUri: uri('manifest.json'),
    manifestSha256: 'a'.repeat(64),
    recordCount: 40,
    baselineDatasetUri: uri('baseline/dataset.csv'),
    holdout: {
      inputUri: uri('holdout/features/'),
      labelsUri: uri('holdout/labels.csv'),
      contentType: 'text/csv',
      challengerTransformJobName: `${jobName}-c`,
      challengerOutputUri: uri('holdout/challenger/'),
      championTransformJobName: `${jobName}-p`,
      championOutputUri: uri('holdout/champion/'),
    },
    championModelName: champion === null ? null : 'champion-model',
    championVersion: champion === null ? null : 1,
    encoder: { uri: `s3://${STORE}/training/m/artifacts/${jobName}/encoder.json`, sha256: 'e'.repeat(64) },
  };
  const training: TrainingResult = {
    trainingJobName: jobName,
    trainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${jobName}`,
    modelArtifactsUri: uri('artifacts/model.tar.gz'),
  };
  const handler = makeEvaluateHandler({
    storeFor: makeS3StoreFor(s3.current.client),
    now: () => new Date('2026-11-23T09:00:00Z'),
    logger: recordingLogger(),
  });
  const result = await handler({ model, execution: execution(), data, training });
  return { result, evaluationFile: JSON.parse(await store.getText(`${root}evaluation.json`)) };
};

describe('evaluate', () => {
  test.each([
    ['auto', PERFECT, MIXED, 'promote'],
    ['manual', PERFECT, MIXED, 'needs-approval'],
    ['auto', MIXED, PERFECT, 'reject'],
    ['auto', MIXED, MIXED, 'reject'],
  ] as const)(
    'approval %s: challenger vs champion on aucRoc decides %#',
    async (approval, challenger, champion, decision) => {
      const { result } = await evaluate(stepModel({}, { approval }), challenger, champion);
      expect(result.decision).toBe(decision);
      expect(result.primaryMetric).toBe('aucRoc');
    },
  );

  test('reports both sides, the sign-adjusted improvement and a summary, and keeps them beside the data', async () => {
    const { result, evaluationFile } = await evaluate(stepModel({}, { approval: 'auto' }), PERFECT, WRONG);
    expect(result.challenger).toMatchObject({ aucRoc: 1, accuracy: 1 });
    expect(result.champion).toMatchObject({ aucRoc: 0, accuracy: 0 });
    expect(Object.keys(result.challenger).sort()).toEqual(
      ['accuracy', 'aucRoc', 'brier', 'f1', 'fpr', 'logLoss', 'prAuc', 'precision', 'recall', 'tpr'].sort(),
    );
    expect(result.improvement).toBe(1);
    expect(result.summary).toBe(
      'churn: challenger aucRoc 1.0000 vs champion 0.0000 (+1.0000, needs > 0 and >= 0.0000) on 8 holdout records: promote',
    );
    expect(evaluationFile).toMatchObject({ decision: 'promote', holdoutRecords: 8, challengerRows: 8 });
  });

  test('rejects a better challenger that misses minImprovement', async () => {
    const { result } = await evaluate(stepModel({}, { minImprovement: 0.5 }), PERFECT, MIXED);
    expect(result.improvement).toBeCloseTo(1 - 9 / 16, 12); // the mixed ranking's AUC is 9/16
    expect(result.decision).toBe('reject');
  });

  test('turns the sign for a metric where lower is better', async () => {
    const { result } = await evaluate(stepModel({}, { primaryMetric: 'logLoss' }), PERFECT, MIXED);
    expect(result.primaryMetric).toBe('logLoss');
    expect(result.improvement).toBeCloseTo(result.champion!.logLoss! - result.challenger.logLoss!, 12);
    expect(result.improvement).toBeGreaterThan(0);
    expect(result.decision).toBe('promote');
  });

  test('promotes a usable first version when there is no champion to compare', async () => {
    const { result } = await evaluate(stepModel({}, { approval: 'auto' }), MIXED, null);
    expect(result).toMatchObject({ decision: 'promote', champion: null, improvement: null });
    expect(result.summary).toContain('no champion to compare');
  });

  test('rejects a challenger whose output does not line up with the holdout', async () => {
    const { result } = await evaluate(stepModel(), PERFECT.slice(0, 5), MIXED);
    expect(result.decision).toBe('reject');
    expect(result.summary).toContain('5 prediction line(s) for 8 holdout label(s)');
  });

  test('fails when the champion was scored but its output is missing', async () => {
    await expect(evaluate(stepModel(), PERFECT, undefined)).rejects.toThrow(TransformOutputError);
  });

  test('rejects a malformed event, naming the field', async () => {
    const handler = makeEvaluateHandler({
      storeFor: makeS3StoreFor(s3.current.client),
      now: () => new Date(),
      logger: recordingLogger(),
    });
    await expect(
      handler({ model: stepModel(), execution: execution(), data: {}, training: {} }),
    ).rejects.toThrow(/^evaluate: event\.data\.jobName: /);
  });
});
