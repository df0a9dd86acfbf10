import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DetectorStateRepository } from '../detector-state-repository.ts';
import { InvalidRecordError, RecordTooLargeError, StaleStateError } from '../errors.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseItem } from './item-parsing.ts';
import { describeKey, detectorKey, isConditionalCheckFailed } from './keys.ts';

/** DynamoDB items stop at 400 KB; the rest is room for keys and attribute names */
const STATE_LIMIT_BYTES = 350 * 1024;

const storedState = z.object({
  stateJson: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
});

export const makeDynamoDetectorStateRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): DetectorStateRepository => ({
  async load(model, detector) {
    const key = detectorKey(model, detector);
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!Item) return undefined;
    const { stateJson, version, updatedAt } = parseItem(storedState, table, describeKey(key), Item);
    return { stateJson, version, updatedAt };
  },

  async save(model, detector, stateJson, expectedVersion, now = new Date()) {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new InvalidRecordError(
        'expectedVersion',
        `must be a non-negative integer, got ${expectedVersion}`,
      );
    }
    const bytes = Buffer.byteLength(stateJson, 'utf8');
    if (bytes > STATE_LIMIT_BYTES)
      throw new RecordTooLargeError(`state of detector ${detector}`, bytes, STATE_LIMIT_BYTES);
    const key = detectorKey(model, detector);
    const version = expectedVersion + 1;
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, model, detector, stateJson, version, updatedAt: now.toISOString() },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return version;
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new StaleStateError(describeKey(key), expectedVersion);
      throw error;
    }
  },
});
