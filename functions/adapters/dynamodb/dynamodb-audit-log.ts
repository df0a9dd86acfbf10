import { type DynamoDBDocumentClient, PutCommand, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { AUDIT_ACTION_SHAPES, isAuditAction } from '../../shared/audit/audit-actions.ts';
import {
  AUDIT_HASH_FORMAT,
  type AuditEntry,
  type ChainRecord,
  entryHash,
  GENESIS_HASH,
} from '../../shared/audit/audit-chain.ts';
import { canonicalJson, type JsonValue } from '../../shared/audit/canonical-json.ts';
import { AuditConflictError, type AuditInput, type AuditLog } from '../audit-log.ts';
import { CorruptRecordError, InvalidRecordError, RecordTooLargeError } from '../errors.ts';
import { assertName } from '../key-parts.ts';
import { backoffDelayMs, type RetryPolicy, sleep } from '../retry.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseInput } from './item-parsing.ts';
import { isConditionalCheckFailed } from './keys.ts';

/** keys as functions/shared/tables.ts (AUDIT_TABLE) documents them */
const SEQ_DIGITS = 12;
const SEQ_PREFIX = 'SEQ#';
export const auditPartition = (model: string): string => `AUDIT#${assertName('model', model)}`;
export const auditSort = (seq: number): string => `${SEQ_PREFIX}${String(seq).padStart(SEQ_DIGITS, '0')}`;
const SEQ_SORT = new RegExp(`^${SEQ_PREFIX}(\\d{${SEQ_DIGITS}})$`);

/** each of before and after; an item stays far below DynamoDB's 400 KB */
const STATE_LIMIT_BYTES = 64 * 1024;
const MAX_TEXT = 2048;
const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * Appends race for the next position: each loser reads the new tail and tries the one after. With w writers
 * appending at once the last one needs up to w attempts, so the budget is generous; the delays stay short.
 */
export const AUDIT_RETRY: RetryPolicy = { maxAttempts: 25, baseDelayMs: 5, maxDelayMs: 200, sleep };

const requiredText = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(MAX_TEXT, `${what} is longer than ${MAX_TEXT} characters`);
const inputFields = z.object({
  principal: requiredText('principal'),
  reason: requiredText('reason'),
  action: z.string().refine(isAuditAction, 'unknown audit action'),
});

const storedEntry = z.object({
  format: z.literal(AUDIT_HASH_FORMAT),
  model: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  principal: z.string(),
  action: z.string().refine(isAuditAction, 'unknown action (written by a newer model-care?)'),
  reason: z.string(),
  beforeJson: z.string(),
  afterJson: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

const stateJson = (what: string, value: unknown): string => {
  const text = canonicalJson(value, what);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > STATE_LIMIT_BYTES) throw new RecordTooLargeError(`audit ${what}`, bytes, STATE_LIMIT_BYTES);
  return text;
};

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(item)'}: ${issue.message}`)
    .join('; ');

/** An item as a chain record: the entry, or what makes it unreadable; never throws. */
export const recordOfItem = (item: Record<string, unknown>): ChainRecord => {
  const sk = typeof item.sk === 'string' ? item.sk : '';
  const position = SEQ_SORT.exec(sk);
  const seq = position ? Number(position[1]) : Number.NaN;
  const parsed = storedEntry.safeParse(item);
  if (!parsed.success) return { seq, problem: describeIssues(parsed.error) };
  const { beforeJson, afterJson, format: _format, ...fields } = parsed.data;
  let before: JsonValue;
  let after: JsonValue;
  try {
    before = JSON.parse(beforeJson) as JsonValue;
    after = JSON.parse(afterJson) as JsonValue;
  } catch {
    return { seq, problem: 'beforeJson or afterJson is not JSON' };
  }
  return { seq, entry: { ...fields, action: fields.action as AuditEntry['action'], before, after } };
};

export interface DynamoAuditLogOptions {
  readonly retry?: RetryPolicy;
  readonly now?: () => Date;
}

/**
 * The audit trail in its own DynamoDB table. Each model's chain is one partition; an append reads the tail
 * (a consistent one-item query), computes the next entry and writes it with `attribute_not_exists(pk)`, so a
 * position is written once and a racing writer retries on the next one. No transactions (dynalite has none,
 * and a conditional put is all it takes).
 */
export const makeDynamoAuditLog = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
  options: DynamoAuditLogOptions = {},
): AuditLog => {
  const retry = options.retry ?? AUDIT_RETRY;
  const clock = options.now ?? (() => new Date());

  const tail = async (model: string): Promise<{ seq: number; hash: string; at: string } | undefined> => {
    const pk = auditPartition(model);
    const { Items } = await ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    if (!item) return undefined;
    const sk = String(item.sk);
    const position = SEQ_SORT.exec(sk);
    if (!position || typeof item.hash !== 'string' || !HEX_HASH.test(item.hash)) {
      // appending after it would link the chain to nothing anyone can check
      throw new CorruptRecordError(
        table,
        `${pk} / ${sk}`,
        'the last audit entry has no readable position or hash',
      );
    }
    return { seq: Number(position[1]), hash: item.hash, at: typeof item.at === 'string' ? item.at : '' };
  };

  const readAll = async (model: string, since?: Date): Promise<ChainRecord[]> => {
    const pk = auditPartition(model);
    const newestFirst: ChainRecord[] = [];
    const sinceIso = since?.toISOString();
    const pages = paginateQuery(
      { client: ddb },
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        // newest first, so a `since` listing stops at the first older entry: `at` never decreases along a chain
        ScanIndexForward: since === undefined,
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const record = recordOfItem(item);
        if (sinceIso !== undefined && 'entry' in record && record.entry.at < sinceIso) {
          return newestFirst.reverse();
        }
        newestFirst.push(record);
      }
    }
    return since === undefined ? newestFirst : newestFirst.reverse();
  };

  return {
    async append(input: AuditInput, now = clock()) {
      const pk = auditPartition(input.model);
      const fields = parseInput(inputFields, 'audit entry', input);
      const shapes = AUDIT_ACTION_SHAPES[input.action];
      const before = parseInput(shapes.before as z.ZodType, `audit ${input.action} before`, input.before);
      const after = parseInput(shapes.after as z.ZodType, `audit ${input.action} after`, input.after);
      const beforeJson = stateJson('before', before ?? null);
      const afterJson = stateJson('after', after ?? null);
      if (Number.isNaN(now.getTime())) throw new InvalidRecordError('audit time', 'not a valid date');
      for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
        const last = await tail(input.model);
        const seq = (last?.seq ?? 0) + 1;
        const nowIso = now.toISOString();
        // time never runs backwards along a chain, whatever the writers' clocks say
        const at = last && last.at > nowIso ? last.at : nowIso;
        const unhashed = {
          model: input.model,
          seq,
          at,
          principal: fields.principal,
          action: input.action,
          reason: fields.reason,
          before: JSON.parse(beforeJson) as JsonValue,
          after: JSON.parse(afterJson) as JsonValue,
          prevHash: last?.hash ?? GENESIS_HASH,
        };
        const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
        try {
          await ddb.send(
            new PutCommand({
              TableName: table,
              Item: {
                pk,
                sk: auditSort(seq),
                format: AUDIT_HASH_FORMAT,
                model: entry.model,
                seq,
                at,
                principal: entry.principal,
                action: entry.action,
                reason: entry.reason,
                beforeJson,
                afterJson,
                prevHash: entry.prevHash,
                hash: entry.hash,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return entry;
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          await retry.sleep(backoffDelayMs(attempt, retry));
        }
      }
      throw new AuditConflictError(input.model, retry.maxAttempts);
    },

    list: (model, listOptions = {}) => readAll(model, listOptions.since),

    readChain: (model) => readAll(model),
  };
};
