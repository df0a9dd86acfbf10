import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { SEVERITIES } from '../../shared/config/vocabulary.ts';
import { type AlertBook, AlertNotFoundError, type AlertRecord } from '../alert-book.ts';
import { InvalidRecordError } from '../errors.ts';
import { assertName } from '../key-parts.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseInput, parseItem } from './item-parsing.ts';
import { epochSeconds, isConditionalCheckFailed } from './keys.ts';

/**
 * The alert book in the state table (functions/shared/tables.ts): pk `ALERTS#<model>`, sk `ID#<alert id>` per
 * alert (kept 30 days), pk `MUTES#<model>`, sk `CHECK#<check>` per mute (kept a day past its end). An alert id
 * starts with its model's name (`<model>/<job>/<window start>`), so an acknowledgement finds the partition.
 */
const ALERT_KEEP_SECONDS = 30 * 86_400;
const MUTE_KEEP_AFTER_SECONDS = 86_400;

const alertIdSchema = z
  .string()
  .min(3)
  .max(255)
  .regex(/^[a-z][a-z0-9-]*\/(data|quality)\/\S+$/, 'is not an alert id (<model>/<job>/<window start>)');

const alertItem = z.object({
  alertId: z.string(),
  model: z.string(),
  job: z.enum(['data', 'quality']),
  severity: z.enum(SEVERITIES),
  checks: z.array(z.string()),
  at: z.string(),
  status: z.enum(['sent', 'suppressed']),
  mutedBy: z.array(z.string()).optional(),
  acknowledged: z.object({ by: z.string(), at: z.string(), reason: z.string().optional() }).optional(),
});
const muteItem = z.object({
  model: z.string(),
  check: z.string(),
  until: z.string(),
  by: z.string(),
  reason: z.string(),
  at: z.string(),
});
const muteInput = muteItem.extend({
  until: z.iso.datetime({ offset: true }),
  check: z.string().min(1).max(64),
  by: z.string().min(1).max(2048),
  reason: z.string().trim().min(1, 'must say why').max(500),
});

const alertKeyOf = (alertId: string) => {
  const id = parseInput(alertIdSchema, 'alert id', alertId);
  const model = id.slice(0, id.indexOf('/'));
  return { pk: `ALERTS#${assertName('model', model)}`, sk: `ID#${id}` };
};
const muteKeyOf = (model: string, check: string) => ({
  pk: `MUTES#${assertName('model', model)}`,
  sk: `CHECK#${check}`,
});

const clean = (record: z.output<typeof alertItem>): AlertRecord => record;

export const makeDynamoAlertBook = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): AlertBook => {
  const book: AlertBook = {
    async recordAlert(record) {
      const item = parseInput(alertItem, 'alert record', record);
      const key = alertKeyOf(item.alertId);
      if (!key.pk.endsWith(`#${item.model}`))
        throw new InvalidRecordError('alert record', 'the id names another model');
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, ...item, expiresAt: epochSeconds(new Date(item.at)) + ALERT_KEEP_SECONDS },
        }),
      );
    },

    async getAlert(alertId) {
      const key = alertKeyOf(alertId);
      const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = Item;
      return clean(parseItem(alertItem, table, `${key.pk} / ${key.sk}`, rest));
    },

    async acknowledge(alertId, ack) {
      const key = alertKeyOf(alertId);
      const acknowledged = {
        by: ack.by,
        at: ack.at.toISOString(),
        ...(ack.reason ? { reason: ack.reason } : {}),
      };
      try {
        const { Attributes } = await ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET acknowledged = :ack',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledged)',
            ExpressionAttributeValues: { ':ack': acknowledged },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = Attributes ?? {};
        return { record: clean(parseItem(alertItem, table, `${key.pk} / ${key.sk}`, rest)), already: false };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const existing = await book.getAlert(alertId);
        if (!existing) throw new AlertNotFoundError(alertId);
        return { record: existing, already: true };
      }
    },

    async setMute(mute, now) {
      const item = parseInput(muteInput, 'mute', mute);
      const key = muteKeyOf(item.model, item.check);
      const { Attributes } = await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, ...item, expiresAt: epochSeconds(new Date(item.until)) + MUTE_KEEP_AFTER_SECONDS },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = typeof Attributes?.until === 'string' ? Attributes.until : null;
      return { previousUntil: previous !== null && previous > now.toISOString() ? previous : null };
    },

    async activeMutes(model, now) {
      const pk = `MUTES#${assertName('model', model)}`;
      const { Items } = await ddb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      );
      const nowIso = now.toISOString();
      return (Items ?? [])
        .map(({ pk: _pk, sk, expiresAt: _e, ...rest }) =>
          parseItem(muteItem, table, `${pk} / ${String(sk)}`, rest),
        )
        .filter((m) => m.until > nowIso);
    },

    async suppressed(model, limit = 50) {
      const pk = `ALERTS#${assertName('model', model)}`;
      const records: AlertRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await ddb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: '#status = :suppressed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pk': pk, ':suppressed': 'suppressed' },
            ExclusiveStartKey: start,
          }),
        );
        for (const { pk: _pk, sk, expiresAt: _e, ...rest } of page.Items ?? []) {
          records.push(clean(parseItem(alertItem, table, `${pk} / ${String(sk)}`, rest)));
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return records.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
    },
  };
  return book;
};
