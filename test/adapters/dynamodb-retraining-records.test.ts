import { describe, expect, test } from 'vitest';
import { makeDynamoRetrainingRunLog } from '../../functions/adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeDynamoVersionLedger } from '../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import {
  type VersionDetails,
  VersionLedgerMissingError,
  type VersionStatusChange,
} from '../../functions/adapters/version-ledger.ts';
import { useDynalite } from '../support/dynalite.ts';
import { TEST_TABLE_SPECS, TEST_TABLES } from './dynamodb-tables.ts';

const dynalite = useDynalite(TEST_TABLE_SPECS);
const T0 = new Date('2026-11-23T10:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const DAY = 86_400;

describe('DynamoRetrainingRunLog', () => {
  const runLog = () => makeDynamoRetrainingRunLog(TEST_TABLES.state, dynalite.current.documentClient);

  test('records a start once per execution, however often the step is retried', async () => {
    // Prepare
    const log = runLog();
    // Act
    await log.recordStart('once', 'exec-1', T0, DAY);
    await log.recordStart('once', 'exec-1', later(30), DAY);
    // Assess
    expect(await log.list('once')).toEqual([
      { execution: 'exec-1', startedAt: T0.toISOString(), endedAt: null },
    ]);
  });

  test('the first end wins; an end without a start is added as a run that ended', async () => {
    const log = runLog();
    await log.recordStart('ends', 'exec-1', T0, DAY);
    await log.recordEnd('ends', 'exec-1', later(60), DAY);
    await log.recordEnd('ends', 'exec-1', later(120), DAY);
    await log.recordEnd('ends', 'exec-2', later(180), DAY);
    expect(await log.list('ends')).toEqual([
      { execution: 'exec-1', startedAt: T0.toISOString(), endedAt: later(60).toISOString() },
      { execution: 'exec-2', startedAt: later(180).toISOString(), endedAt: later(180).toISOString() },
    ]);
  });

  test('forgets ended runs older than the retention, keeps the running ones', async () => {
    const log = runLog();
    await log.recordStart('old', 'ended', T0, 3600);
    await log.recordEnd('old', 'ended', later(60), 3600);
    await log.recordStart('old', 'running', later(120), 3600);
    await log.recordStart('old', 'new', later(2 * 3600), 3600);
    expect((await log.list('old')).map((run) => run.execution)).toEqual(['running', 'new']);
  });

  test('loses no run under concurrent writers (the revision guards every write)', async () => {
    const log = runLog();
    await Promise.all(
      Array.from({ length: 4 }, (_, i) => log.recordStart('race', `exec-${i}`, later(i), DAY)),
    );
    expect((await log.list('race')).map((run) => run.execution).sort()).toEqual([
      'exec-0',
      'exec-1',
      'exec-2',
      'exec-3',
    ]);
  });

  test('keeps each model apart', async () => {
    const log = runLog();
    await log.recordStart('model-a', 'exec-a', T0, DAY);
    expect(await log.list('model-b')).toEqual([]);
  });
});

describe('DynamoVersionLedger', () => {
  const ledger = () => makeDynamoVersionLedger(TEST_TABLES.registry, dynalite.current.documentClient);
  const details: VersionDetails = {
    trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1',
    hyperparameters: { depth: '4' },
    trainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-1',
    manifestUri: 's3://bucket/training/churn/job/manifest.json',
    manifestSha256: 'a'.repeat(64),
    recordCount: 100,
    decision: 'promote',
    primaryMetric: 'aucRoc',
    improvement: 0.02,
    summary: 'challenger aucRoc 0.81 vs champion 0.79',
    comparedWith: 1,
  };
  const change = (
    status: VersionStatusChange['status'],
    executionId: string,
    at = T0,
  ): VersionStatusChange => ({
    status,
    at: at.toISOString(),
    executionId,
    detail: null,
    approval: null,
  });

  test('records a version once per execution and moves it through its statuses, oldest first', async () => {
    const l = ledger();
    await l.record('churn', 2, details, change('registered', 'exec-1'));
    await l.record('churn', 2, details, change('registered', 'exec-1'));
    await l.setStatus('churn', 2, change('champion', 'exec-1', later(60)));
    await l.setStatus('churn', 2, change('champion', 'exec-1', later(90)));
    await l.setStatus('churn', 2, change('rolled-back', 'exec-2', later(120)));
    const entry = await l.get('churn', 2);
    expect(entry?.status).toBe('rolled-back');
    expect(entry?.details).toEqual(details);
    expect(entry?.history.map((c) => [c.status, c.executionId])).toEqual([
      ['registered', 'exec-1'],
      ['champion', 'exec-1'],
      ['rolled-back', 'exec-2'],
    ]);
  });

  test('rejects a status change of a version it never recorded', async () => {
    await expect(ledger().setStatus('churn', 99, change('champion', 'exec-1'))).rejects.toBeInstanceOf(
      VersionLedgerMissingError,
    );
  });

  test('has no entry for an unknown version', async () => {
    expect(await ledger().get('nobody', 1)).toBeUndefined();
  });
});
