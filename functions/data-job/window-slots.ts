import { type Seasonality, slotOf } from '../engine/verdicts/seasonal-reference.ts';

const HOUR_MS = 3_600_000;

/**
 * A window's rows per seasonal slot, and the cycle (day or week number, UTC) it belongs to, for a seasonal
 * verdict. Rows are placed by their capture hour (`rowsByHour`); without it (a fanned-out window) all of them
 * fall in the slot of the window's start.
 */
export const windowSlots = (
  seasonality: Seasonality,
  windowStart: string,
  rows: number,
  rowsByHour?: ReadonlyMap<number, number>,
): { slotRows: Map<number, number>; cycle: number } => {
  const start = new Date(windowStart);
  const slotRows = new Map<number, number>();
  const byHour = rowsByHour && rowsByHour.size > 0 ? rowsByHour : new Map([[start.getTime(), rows]]);
  for (const [hour, n] of byHour) {
    const slot = slotOf(seasonality, new Date(hour));
    slotRows.set(slot, (slotRows.get(slot) ?? 0) + n);
  }
  const cycleMs = HOUR_MS * (seasonality === 'hour-of-week' ? 168 : 24);
  return { slotRows, cycle: Math.floor(start.getTime() / cycleMs) };
};
