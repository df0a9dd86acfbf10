import type { DatasetSummary } from '../baseline/feature-summary.ts';
import { DEFAULT_KLL_K } from '../sketch/kll-sketch.ts';
import { categoryCells, cellShares, type FeatureReference } from './feature-reference.ts';
import { dkwMargin, kllRankError, totalVariationMargin } from './rank-error.ts';
import { VerdictSettingsError } from './verdict-settings.ts';

/**
 * Like with like (Cobb & Van Looveren 2022's context-aware drift, for a discrete context): a pooled baseline
 * flags every night as drift when traffic is diurnal. With seasonality the reference keeps one distribution
 * per slot (hour of day, or hour of week) and a window is compared with the mixture of its own slots,
 * F0_ctx = Σ_s π_s F0_s, π_s the window's share of rows in slot s: the same cells, one weighted sum.
 */
export type Seasonality = 'none' | 'hour-of-day' | 'hour-of-week';
export const SEASONALITIES: readonly Seasonality[] = ['none', 'hour-of-day', 'hour-of-week'];

/** a slot needs this many reference rows, or its own sampling error swamps the differences it should show */
export const DEFAULT_MIN_SLOT_ROWS = 10_000;

export const slotCount = (seasonality: Seasonality): number =>
  seasonality === 'hour-of-day' ? 24 : seasonality === 'hour-of-week' ? 168 : 1;

/** the slot of a moment, in UTC: its hour of day, or (day of week, Sunday 0) × 24 + hour */
export const slotOf = (seasonality: Seasonality, at: Date): number =>
  seasonality === 'hour-of-day'
    ? at.getUTCHours()
    : seasonality === 'hour-of-week'
      ? at.getUTCDay() * 24 + at.getUTCHours()
      : 0;

export const slotName = (seasonality: Seasonality, slot: number): string =>
  seasonality === 'hour-of-week'
    ? `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][Math.floor(slot / 24)]} ${String(slot % 24).padStart(2, '0')}h`
    : `${String(slot).padStart(2, '0')}h`;

/** per feature: the reference's cell probabilities in each slot, and each slot's margin */
export interface SlotReference {
  readonly probabilities: (readonly number[] | undefined)[];
  readonly margins: readonly number[];
}

export interface SeasonalReference {
  readonly seasonality: Seasonality;
  /** reference rows per slot */
  readonly rows: readonly number[];
  readonly features: ReadonlyMap<string, SlotReference>;
}

/**
 * Fails with one line naming the setting when a slot holds fewer reference rows than the minimum:
 * `baseline.seasonality: slot 03h holds 812 reference rows, fewer than the minimum 10000`.
 */
export const checkSlotRows = (
  seasonality: Seasonality,
  rows: readonly number[],
  minimum: number,
  setting = 'baseline.seasonality',
): void => {
  rows.forEach((n, slot) => {
    if (n < minimum) {
      throw new VerdictSettingsError(
        setting,
        `"${seasonality}": slot ${slotName(seasonality, slot)} holds ${n} reference rows, fewer than the minimum ${minimum} (use a coarser seasonality or a longer reference)`,
      );
    }
  });
};

/**
 * The slot references of the pooled references' features from one summary per slot, on the pooled
 * references' own cells (so every slot and every mixture reads the same witness sets).
 */
export const seasonalReference = (
  seasonality: Seasonality,
  pooled: readonly FeatureReference[],
  slots: readonly (DatasetSummary | undefined)[],
  risk: number,
): SeasonalReference => {
  const features = new Map<string, SlotReference>();
  for (const reference of pooled) {
    const probabilities: (number[] | undefined)[] = [];
    const margins: number[] = [];
    for (const slot of slots) {
      const feature = slot?.features.find((f) => f.name === reference.name);
      if (reference.kind === 'numerical') {
        const numeric = feature?.numeric;
        if (!numeric || numeric.count === 0) {
          probabilities.push(undefined);
          margins.push(1);
          continue;
        }
        probabilities.push(cellShares(numeric.sample, reference.edges, 1));
        margins.push((numeric.exact ? 0 : kllRankError(DEFAULT_KLL_K)) + dkwMargin(numeric.count, risk));
      } else {
        const categories = feature?.categories;
        const cells = categories
          ? categoryCells(reference.categories, categories.counts, categories.other)
          : undefined;
        const total = cells?.reduce((a, b) => a + b, 0) ?? 0;
        if (!cells || total === 0) {
          probabilities.push(undefined);
          margins.push(1);
          continue;
        }
        probabilities.push(cells.map((n) => n / total));
        margins.push(totalVariationMargin(total, cells.length, risk));
      }
    }
    features.set(reference.name, { probabilities, margins });
  }
  return { seasonality, rows: slots.map((s) => s?.rows ?? 0), features };
};

/**
 * The reference of one feature for a window whose rows fall in the slots as `slotRows` says: the mixture
 * Σ π_s p_s of its slots and the mixture's margin (at most the largest of theirs, weighted). Slots without
 * a reference fall back to the pooled reference.
 */
export const mixtureFor = (
  pooled: FeatureReference,
  seasonal: SeasonalReference | undefined,
  slotRows: ReadonlyMap<number, number> | undefined,
): { probabilities: readonly number[]; margin: number } => {
  const slots = seasonal?.features.get(pooled.name);
  const total = slotRows ? [...slotRows.values()].reduce((a, b) => a + b, 0) : 0;
  if (!slots || !slotRows || total === 0)
    return { probabilities: pooled.probabilities, margin: pooled.margin };
  const probabilities = new Array<number>(pooled.probabilities.length).fill(0);
  let margin = 0;
  for (const [slot, rows] of slotRows) {
    const weight = rows / total;
    const p = slots.probabilities[slot] ?? pooled.probabilities;
    for (let c = 0; c < probabilities.length; c++) probabilities[c]! += weight * p[c]!;
    margin += weight * (slots.probabilities[slot] ? slots.margins[slot]! : pooled.margin);
  }
  return { probabilities, margin };
};

/**
 * The slot mix as a categorical reference of its own: the reference's share of rows per slot. A cycle's rows
 * per slot (a day, or a week) are one window of it, so traffic moving into the night is found as a change of
 * the mix, apart from how each slot's values look.
 */
export const slotMixReference = (seasonal: SeasonalReference, risk: number): FeatureReference => {
  const total = seasonal.rows.reduce((a, b) => a + b, 0);
  const names = seasonal.rows.map((_, slot) => slotName(seasonal.seasonality, slot));
  return {
    name: SLOT_MIX_FEATURE,
    kind: 'categorical',
    edges: [],
    categories: names,
    // the last cell is "every other value": no row falls there
    probabilities: [...seasonal.rows.map((n) => (total > 0 ? n / total : 0)), 0],
    rows: total,
    margin: totalVariationMargin(total, names.length, risk),
  };
};

export const SLOT_MIX_FEATURE = '(slot mix)';
