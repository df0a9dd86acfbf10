import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvalidRecordError } from '../errors.ts';
import { boundInstant, canonicalInstant, toDate } from '../key-parts.ts';
import { RUN_JOBS, RUN_STATUSES, type RunRecord, type RunRepository } from '../run-repository.ts';
import { defaultDocumentClient } from './document-client.ts';
import { fromJsonAttribute, parseInput, parseItem, toJsonAttribute } from './item-parsing.ts';
import { describeKey, runKey, runPartition } from './keys.ts';

const SUMMARY_LIMIT_BYTES = 64 * 1024;

const count = z.number().int().nonnegative();
const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO-8601 instant');

const runFields = {
  model: z.string(),
  job: z.enum(RUN_JOBS),
  windowStart: instant,
  windowEnd: instant,
  status: z.enum(RUN_STATUSES),
  rowCount: count,
  malformedCount: count,
  quarantinedObjects: count,
  violationCount: count,
  reportKey: z.string().min(1).optional(),
  startedAt: instant,
  finishedAt: instant,
};

const runInput = z.object({ ...runFields, summary: z.record(z.string(), z.unknown()) });
const storedRun = z.object({ ...runFields, summaryJson: z.string() });

export const makeDynamoRunRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): RunRepository => {
  const fromItem = (item: unknown, key: string): RunRecord => {
    const { summaryJson, ...run } = parseItem(storedRun, table, key, item);
    const summary = parseItem(
      z.record(z.string(), z.unknown()),
      table,
      key,
      fromJsonAttribute(table, key, summaryJson),
    );
    return { ...run, summary };
  };

  return {
    async putRun(input) {
      const run = parseInput(runInput, 'run', input);
      const key = runKey(run.model, run.job, run.windowStart);
      if (toDate('windowEnd', run.windowEnd).getTime() <= toDate('windowStart', run.windowStart).getTime()) {
        throw new InvalidRecordError('run', 'windowEnd must be after windowStart');
      }
      const { summary, ...fields } = run;
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...key,
            ...fields,
            windowStart: key.sk,
            windowEnd: canonicalInstant('windowEnd', run.windowEnd),
            summaryJson: toJsonAttribute('run summary', summary, SUMMARY_LIMIT_BYTES),
          },
        }),
      );
    },

    async getRun(model, job, windowStart) {
      const key = runKey(model, job, windowStart);
      const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      return Item ? fromItem(Item, describeKey(key)) : undefined;
    },

    async listRuns(model, job, from, to) {
      const pk = runPartition(model, job);
      const lower = boundInstant('from', from);
      const upper = boundInstant('to', to);
      // BETWEEN is inclusive and rejects lower > upper; the half-open range is finished below
      if (lower >= upper) return [];
      const runs: RunRecord[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: { ':pk': pk, ':lower': lower, ':upper': upper },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (item.sk === upper) continue;
          runs.push(fromItem(item, `${pk} / ${String(item.sk)}`));
        }
      }
      return runs;
    },
  };
};
