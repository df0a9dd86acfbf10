import { summarizeProfile } from '../functions/engine/baseline/feature-summary.ts';
import { InputError } from '../functions/engine/errors.ts';
import type { DatasetProfile } from '../functions/engine/profile/dataset-profile.ts';
import type { FeatureReference } from '../functions/engine/verdicts/feature-reference.ts';
import {
  checkSlotRows,
  type Seasonality,
  type SeasonalReference,
  seasonalReference,
  slotCount,
  slotOf,
} from '../functions/engine/verdicts/seasonal-reference.ts';
import { VerdictSettingsError } from '../functions/engine/verdicts/verdict-settings.ts';
import { timeWindows } from './backtest-windows.ts';
import type { InputOptions } from './read-input.ts';

const HOUR_MS = 3_600_000;

/**
 * The slot references of a seasonal backtest from the baseline's own data (`--baseline-data`), its rows put in
 * their slot by `timeField`, on the pooled references' cells; refused with one line naming `--seasonality`
 * when a slot holds fewer rows than `minimum`.
 */
export const seasonalFromData = async (
  path: string,
  input: InputOptions,
  seasonality: Seasonality,
  timeField: string | undefined,
  pooled: readonly FeatureReference[],
  risk: number,
  minimum: number,
): Promise<SeasonalReference> => {
  const slots: (DatasetProfile | undefined)[] = new Array(slotCount(seasonality)).fill(undefined);
  for await (const hour of timeWindows(path, input, HOUR_MS, timeField)) {
    if (!hour.profile || !hour.start) continue;
    const slot = slotOf(seasonality, hour.start);
    slots[slot] = slots[slot] ? slots[slot]!.merge(hour.profile) : hour.profile;
  }
  const rows = slots.map((p) => p?.rows ?? 0);
  try {
    checkSlotRows(seasonality, rows, minimum, '--seasonality');
  } catch (error) {
    // bad input: one line naming the setting, exit 2
    if (error instanceof VerdictSettingsError) throw new InputError({ file: error.setting }, error.reason);
    throw error;
  }
  return seasonalReference(
    seasonality,
    pooled,
    slots.map((p) => (p ? summarizeProfile(p) : undefined)),
    risk,
  );
};

/** a time window's slot rows and cycle (day or week) for the seasonal verdict */
export const windowSlots = (seasonality: Seasonality, start: Date, rows: number) => ({
  slotRows: new Map([[slotOf(seasonality, start), rows]]),
  cycle: Math.floor(start.getTime() / (HOUR_MS * (seasonality === 'hour-of-week' ? 168 : 24))),
});
