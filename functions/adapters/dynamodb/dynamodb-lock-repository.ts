import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvalidRecordError } from '../errors.ts';
import type { LockRepository } from '../lock-repository.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseItem } from './item-parsing.ts';
import { describeKey, epochSeconds, isConditionalCheckFailed, lockKey } from './keys.ts';

const storedLock = z.object({ owner: z.string(), acquiredAt: z.string(), expiresAt: z.number() });

export const makeDynamoLockRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): LockRepository => ({
  async acquire(model, name, owner, ttlSeconds, now) {
    if (owner.length === 0) throw new InvalidRecordError('lock owner', 'must not be empty');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new InvalidRecordError('lock ttlSeconds', `must be a positive integer, got ${ttlSeconds}`);
    }
    const nowSeconds = epochSeconds(now);
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          // expiresAt is also the table's TTL attribute, but TTL deletes lazily: expiry is decided here
          Item: {
            ...lockKey(model, name),
            owner,
            acquiredAt: now.toISOString(),
            expiresAt: nowSeconds + ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async release(model, name, owner) {
    try {
      await ddb.send(
        new DeleteCommand({
          TableName: table,
          Key: lockKey(model, name),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async holder(model, name, now) {
    const key = lockKey(model, name);
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!Item) return undefined;
    const lock = parseItem(storedLock, table, describeKey(key), Item);
    if (lock.expiresAt <= epochSeconds(now)) return undefined;
    return { owner: lock.owner, acquiredAt: lock.acquiredAt, expiresAt: new Date(lock.expiresAt * 1000) };
  },
});
