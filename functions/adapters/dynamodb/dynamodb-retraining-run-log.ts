import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { RetrainingRun, RetrainingRunLog } from '../retraining-run-log.ts';
import { defaultDocumentClient } from './document-client.ts';
import { fromJsonAttribute, parseItem, toJsonAttribute } from './item-parsing.ts';
import { epochSeconds, isConditionalCheckFailed, lockKey } from './keys.ts';

/** the lock's partition (`LOCK#<model>#retraining`), sort key RUNS: the lock item itself stays the adapter's */
export const RETRAINING_LOCK_NAME = 'retraining';
const RUNS_SK = 'RUNS';
/** a model retrains a few times a day at most; the cap bounds the item whatever the config says */
const MAX_RUNS_KEPT = 200;
const MAX_ATTEMPTS = 5;
const RUNS_JSON_LIMIT = 64 * 1024;

const storedItem = z.object({ runs: z.string(), revision: z.number().int() });
const storedRuns = z.array(
  z.object({ execution: z.string(), startedAt: z.string(), endedAt: z.string().nullable() }),
);

export class RunLogConflictError extends Error {
  override readonly name = 'RunLogConflictError';
  constructor(readonly model: string) {
    super(`the retraining run log of ${model} kept changing under concurrent writes`);
  }
}

/**
 * One item per model holding its recent runs as JSON, changed by read-modify-write guarded by a revision
 * number (a conditional put), so concurrent writers cannot lose each other's runs. The TTL attribute lets
 * DynamoDB drop the item once nothing in it can matter any more.
 */
export const makeDynamoRetrainingRunLog = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): RetrainingRunLog => {
  const keyOf = (model: string) => ({ pk: lockKey(model, RETRAINING_LOCK_NAME).pk, sk: RUNS_SK });

  const read = async (model: string): Promise<{ runs: RetrainingRun[]; revision: number }> => {
    const key = keyOf(model);
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!Item) return { runs: [], revision: 0 };
    const where = `${key.pk} / ${key.sk}`;
    const item = parseItem(storedItem, table, where, Item);
    const runs = parseItem(storedRuns, table, where, fromJsonAttribute(table, where, item.runs));
    return { runs, revision: item.revision };
  };

  const update = async (
    model: string,
    at: Date,
    retentionSeconds: number,
    change: (runs: RetrainingRun[]) => RetrainingRun[] | undefined,
  ): Promise<void> => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { runs, revision } = await read(model);
      const changed = change(runs);
      if (!changed) return;
      const horizon = at.getTime() - retentionSeconds * 1000;
      const kept = changed
        .filter((run) => run.endedAt === null || Date.parse(run.endedAt) >= horizon)
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
        .slice(-MAX_RUNS_KEPT);
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...keyOf(model),
              runs: toJsonAttribute('retraining runs', kept, RUNS_JSON_LIMIT),
              revision: revision + 1,
              expiresAt: epochSeconds(at) + retentionSeconds,
            },
            ...(revision === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#revision = :revision',
                  ExpressionAttributeNames: { '#revision': 'revision' },
                  ExpressionAttributeValues: { ':revision': revision },
                }),
          }),
        );
        return;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    throw new RunLogConflictError(model);
  };

  return {
    async list(model) {
      return (await read(model)).runs;
    },

    recordStart: (model, execution, at, retentionSeconds) =>
      update(model, at, retentionSeconds, (runs) =>
        runs.some((run) => run.execution === execution)
          ? undefined
          : [...runs, { execution, startedAt: at.toISOString(), endedAt: null }],
      ),

    recordEnd: (model, execution, at, retentionSeconds) =>
      update(model, at, retentionSeconds, (runs) => {
        const run = runs.find((r) => r.execution === execution);
        if (run?.endedAt) return undefined;
        const ended = { execution, startedAt: run?.startedAt ?? at.toISOString(), endedAt: at.toISOString() };
        return [...runs.filter((r) => r.execution !== execution), ended];
      }),
  };
};
