import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ModelSchedule, ScheduleSource } from '../../dispatcher/schedule-source.ts';
import { CorruptRecordError } from '../errors.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseItem } from './item-parsing.ts';

/**
 * The `index#schedules` partition of the models table (pk `index#schedules`, sk `<model name>`), as the fleet
 * design lays it out: one small item per model, so 1,000 models come back in one or two Query pages. Interim:
 * the model store's `schedules()` reads the same items and replaces this reader when both land.
 */
export const SCHEDULE_INDEX_PARTITION = 'index#schedules';

const minutes = z.number().int();
const itemSchema = z.object({
  sk: z.string().min(1),
  version: z.number().int().nonnegative(),
  status: z.enum(['active', 'removed']),
  data: z.string().min(1),
  quality: z.string().min(1),
  dataWindowMinutes: minutes,
  qualityWindowMinutes: minutes,
  graceMinutes: minutes,
});

export interface DynamoScheduleIndexOptions {
  /** an item that does not parse is skipped and reported here, so one hand-edited item cannot stop the fleet */
  readonly onCorrupt?: (error: CorruptRecordError) => void;
}

export const makeDynamoScheduleIndex = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
  options: DynamoScheduleIndexOptions = {},
): ScheduleSource => ({
  async schedules() {
    const schedules: ModelSchedule[] = [];
    const pages = paginateQuery(
      { client: ddb },
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SCHEDULE_INDEX_PARTITION },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const key = `${SCHEDULE_INDEX_PARTITION}/${String(item.sk)}`;
        try {
          const { sk, ...entry } = parseItem(itemSchema, table, key, item);
          schedules.push({ name: sk, ...entry });
        } catch (error) {
          if (!(error instanceof CorruptRecordError) || !options.onCorrupt) throw error;
          options.onCorrupt(error);
        }
      }
    }
    return schedules;
  },
});
