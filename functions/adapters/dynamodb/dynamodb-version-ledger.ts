import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  VERSION_STATUSES,
  type VersionDetails,
  type VersionLedger,
  type VersionLedgerEntry,
  VersionLedgerMissingError,
  type VersionStatusChange,
} from '../version-ledger.ts';
import { defaultDocumentClient } from './document-client.ts';
import { fromJsonAttribute, parseItem, toJsonAttribute } from './item-parsing.ts';
import { isConditionalCheckFailed, registryPartition, VERSION_PREFIX, versionSort } from './keys.ts';

/** sort key `LEDGER#<zero-padded version>`: beside the VERSION# items, never matched by their prefix */
const ledgerSort = (version: number): string => versionSort(version).replace(VERSION_PREFIX, 'LEDGER#');
const JSON_LIMIT = 128 * 1024;
const MAX_ATTEMPTS = 5;

const approval = z
  .object({ approved: z.boolean(), approver: z.string().optional(), comment: z.string().optional() })
  .nullable();
const change = z.object({
  status: z.enum(VERSION_STATUSES),
  at: z.string(),
  executionId: z.string(),
  detail: z.string().nullable(),
  approval,
});
const details = z.object({
  trainingImage: z.string(),
  hyperparameters: z.record(z.string(), z.string()),
  trainingJobArn: z.string(),
  manifestUri: z.string(),
  manifestSha256: z.string(),
  recordCount: z.number(),
  decision: z.enum(['promote', 'needs-approval', 'reject']),
  primaryMetric: z.string(),
  improvement: z.number().nullable(),
  summary: z.string(),
  comparedWith: z.number().nullable(),
  encoderUri: z.string().optional(),
  encoderSha256: z.string().optional(),
});
const storedItem = z.object({
  status: z.enum(VERSION_STATUSES),
  details: z.string(),
  history: z.string(),
  revision: z.number().int(),
});

export class VersionLedgerConflictError extends Error {
  override readonly name = 'VersionLedgerConflictError';
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`the ledger entry of ${model} version ${version} kept changing under concurrent writes`);
  }
}

export const makeDynamoVersionLedger = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): VersionLedger => {
  const keyOf = (model: string, version: number) => ({
    pk: registryPartition(model),
    sk: ledgerSort(version),
  });

  const read = async (
    model: string,
    version: number,
  ): Promise<(VersionLedgerEntry & { revision: number }) | undefined> => {
    const key = keyOf(model, version);
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!Item) return undefined;
    const where = `${key.pk} / ${key.sk}`;
    const item = parseItem(storedItem, table, where, Item);
    return {
      model,
      version,
      status: item.status,
      details: parseItem(details, table, where, fromJsonAttribute(table, where, item.details)),
      history: parseItem(z.array(change), table, where, fromJsonAttribute(table, where, item.history)),
      revision: item.revision,
    };
  };

  const write = async (
    model: string,
    version: number,
    entry: { details: VersionDetails; history: readonly VersionStatusChange[] },
    revision: number,
  ): Promise<boolean> => {
    const last = entry.history[entry.history.length - 1];
    if (!last) throw new Error('a ledger entry needs a status');
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...keyOf(model, version),
            status: last.status,
            details: toJsonAttribute('version details', entry.details, JSON_LIMIT),
            history: toJsonAttribute('version history', entry.history, JSON_LIMIT),
            revision: revision + 1,
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
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  const sameChange = (a: VersionStatusChange | undefined, b: VersionStatusChange): boolean =>
    a !== undefined && a.status === b.status && a.executionId === b.executionId;

  return {
    async record(model, version, newDetails, first) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const current = await read(model, version);
        if (current?.history.some((c) => c.executionId === first.executionId)) return;
        const history = current ? [...current.history, first] : [first];
        if (await write(model, version, { details: newDetails, history }, current?.revision ?? 0)) return;
      }
      throw new VersionLedgerConflictError(model, version);
    },

    async setStatus(model, version, next) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const current = await read(model, version);
        if (!current) throw new VersionLedgerMissingError(model, version);
        if (sameChange(current.history[current.history.length - 1], next)) return;
        const history = [...current.history, next];
        if (await write(model, version, { details: current.details, history }, current.revision)) return;
      }
      throw new VersionLedgerConflictError(model, version);
    },

    async get(model, version) {
      const entry = await read(model, version);
      if (!entry) return undefined;
      const { revision: _revision, ...rest } = entry;
      return rest;
    },
  };
};
