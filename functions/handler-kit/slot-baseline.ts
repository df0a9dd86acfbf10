import * as z from 'zod';
import { InvalidObjectError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { type DatasetSummary, summarizeStatistics } from '../engine/baseline/feature-summary.ts';
import { parseStatisticsFile } from '../engine/baseline/load-baseline.ts';
import type { StatisticsFile } from '../engine/baseline/model-monitor-schema.ts';
import { InputError } from '../engine/errors.ts';
import { type Seasonality, slotCount } from '../engine/verdicts/seasonal-reference.ts';

/**
 * A seasonal baseline's slot profiles, `baselines/<model>/<version>/slots.json`, beside statistics.json: one
 * Model Monitor statistics document per slot (hour of day or of week, UTC), so each slot's values are read with
 * the same code as the pooled baseline's. One object, so the data job reads the slots with one request.
 */
export const SLOTS_FILE = 'slots.json';

const documentSchema = z.object({
  formatVersion: z.literal(1),
  seasonality: z.enum(['hour-of-day', 'hour-of-week']),
  timeField: z.string(),
  /** reference rows per slot */
  rows: z.array(z.number().int().nonnegative()),
  /** the statistics of each slot; null for a slot without rows */
  slots: z.array(z.unknown()),
});

export interface SlotSummaries {
  readonly seasonality: Exclude<Seasonality, 'none'>;
  readonly rows: readonly number[];
  readonly slots: readonly (DatasetSummary | undefined)[];
}

export const slotsDocument = (
  seasonality: Exclude<Seasonality, 'none'>,
  timeField: string,
  slots: readonly (StatisticsFile | null)[],
  rows: readonly number[],
) => ({ formatVersion: 1 as const, seasonality, timeField, rows, slots });

/** The slot summaries stored at `key`; a document that does not parse is an InvalidObjectError naming it. */
export const loadSlotSummaries = async (store: ObjectStore, key: string): Promise<SlotSummaries> => {
  const parsed = documentSchema.safeParse(await store.getJson(key));
  if (!parsed.success)
    throw new InvalidObjectError(
      key,
      `not a slots document: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  const { seasonality, rows, slots } = parsed.data;
  const count = slotCount(seasonality);
  if (rows.length !== count || slots.length !== count)
    throw new InvalidObjectError(key, `a ${seasonality} baseline has ${count} slots, not ${slots.length}`);
  try {
    return {
      seasonality,
      rows,
      slots: slots.map((s, i) =>
        s === null ? undefined : summarizeStatistics(parseStatisticsFile(s, `${key} slots[${i}]`)),
      ),
    };
  } catch (error) {
    if (error instanceof InputError) throw new InvalidObjectError(error.location.file, error.reason);
    throw error;
  }
};
