import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isSeverity, severityRank } from '../../shared/config/vocabulary.ts';
import type { AlertStateRepository } from '../alert-state-repository.ts';
import { InvalidRecordError } from '../errors.ts';
import { defaultDocumentClient } from './document-client.ts';
import { alertKey, epochSeconds, isConditionalCheckFailed } from './keys.ts';

/** the item outlives its cooldown by a day, so the last notification stays visible for a while */
const KEEP_AFTER_COOLDOWN_SECONDS = 86_400;

export const makeDynamoAlertStateRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): AlertStateRepository => ({
  async shouldNotify(model, check, severity, now, cooldownSeconds) {
    if (!isSeverity(severity))
      throw new InvalidRecordError('severity', `unknown severity ${String(severity)}`);
    if (!Number.isInteger(cooldownSeconds) || cooldownSeconds < 0) {
      throw new InvalidRecordError(
        'cooldownSeconds',
        `must be a non-negative integer, got ${cooldownSeconds}`,
      );
    }
    const nowSeconds = epochSeconds(now);
    const rank = severityRank(severity);
    const cooldownUntil = nowSeconds + cooldownSeconds;
    try {
      // one conditional put is the whole decision: no read-then-write window for a second caller to slip through
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...alertKey(model, check),
            model,
            check,
            severity,
            severityRank: rank,
            notifiedAt: now.toISOString(),
            cooldownUntil,
            expiresAt: cooldownUntil + KEEP_AFTER_COOLDOWN_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR cooldownUntil <= :now OR severityRank < :rank',
          ExpressionAttributeValues: { ':now': nowSeconds, ':rank': rank },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async clear(model, check) {
    await ddb.send(new DeleteCommand({ TableName: table, Key: alertKey(model, check) }));
  },
});
