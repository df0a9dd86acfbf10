import * as z from 'zod';
import { InvalidObjectError, ObjectNotFoundError } from '../adapters/errors.ts';
import { assertName } from '../adapters/key-parts.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { baselinePrefix } from '../adapters/s3-layout.ts';
import { type Baseline, loadBaseline } from '../engine/baseline/load-baseline.ts';
import { InputError } from '../engine/errors.ts';
import { STORE_PREFIXES } from '../shared/store-layout.ts';
import { loadSlotSummaries, SLOTS_FILE, type SlotSummaries } from './slot-baseline.ts';

/**
 * Which baseline is current for a model: the pointer object `baselines/<model>/current.json`, written by the
 * baseline job after both files of a version are in place. A pointer, rather than the registry's champion,
 * because a model without retraining has no registry version at all, and because the data job may only read
 * the registry; one small object read tells it where statistics.json and constraints.json are.
 */

export const STATISTICS_FILE = 'statistics.json';
export const CONSTRAINTS_FILE = 'constraints.json';

export const baselinePointerKey = (model: string): string =>
  `${STORE_PREFIXES.baselines}${assertName('model', model)}/current.json`;

const pointerSchema = z.object({
  formatVersion: z.literal(1),
  model: z.string(),
  /** the registry version the baseline belongs to; 0 for a model with no registered version */
  version: z.number().int().nonnegative(),
  statisticsKey: z.string().min(1),
  constraintsKey: z.string().min(1),
  datasetUri: z.string(),
  rows: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** a seasonal baseline's slot profiles (slot-baseline.ts); absent for a pooled baseline */
  slotsKey: z.string().min(1).optional(),
});
export type BaselinePointer = z.output<typeof pointerSchema>;

export const baselineKeys = (model: string, version: number) => {
  const prefix = baselinePrefix(model, version);
  return {
    prefix,
    statisticsKey: `${prefix}${STATISTICS_FILE}`,
    constraintsKey: `${prefix}${CONSTRAINTS_FILE}`,
    slotsKey: `${prefix}${SLOTS_FILE}`,
  };
};

export const readBaselinePointer = async (
  store: ObjectStore,
  model: string,
): Promise<BaselinePointer | undefined> => {
  const key = baselinePointerKey(model);
  let json: unknown;
  try {
    json = await store.getJson(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  const parsed = pointerSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidObjectError(
      key,
      `not a baseline pointer: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
};

export const writeBaselinePointer = (store: ObjectStore, pointer: BaselinePointer): Promise<void> =>
  store.put(baselinePointerKey(pointer.model), `${JSON.stringify(pointer, null, 2)}\n`, 'application/json');

export interface CurrentBaseline {
  readonly pointer: BaselinePointer;
  readonly baseline: Baseline;
  /** a seasonal baseline's slot summaries, read with it */
  readonly slots?: SlotSummaries;
}

/** The model's current baseline, or undefined when none was built yet. Files that do not parse are an error. */
export const loadCurrentBaseline = async (
  store: ObjectStore,
  model: string,
): Promise<CurrentBaseline | undefined> => {
  const pointer = await readBaselinePointer(store, model);
  if (!pointer) return undefined;
  const [statistics, constraints] = await Promise.all([
    store.getJson(pointer.statisticsKey),
    store.getJson(pointer.constraintsKey),
  ]);
  try {
    const baseline = loadBaseline(statistics, constraints, {
      statistics: pointer.statisticsKey,
      constraints: pointer.constraintsKey,
    });
    const slots = pointer.slotsKey ? await loadSlotSummaries(store, pointer.slotsKey) : undefined;
    return { pointer, baseline, ...(slots ? { slots } : {}) };
  } catch (error) {
    if (error instanceof InputError) throw new InvalidObjectError(error.location.file, error.reason);
    throw error;
  }
};
