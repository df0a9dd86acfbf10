import type { LabelBatch } from './window-labels.ts';

/**
 * Which ground-truth objects of a window have already been fed to the concept-drift detectors, so that a window
 * re-evaluated because late labels arrived feeds only those, never the same labels twice.
 *
 * Per window: every object written before `fedBefore` counts as fed, and `recent` names the fed objects written
 * since (with their write time, so they drop out once `fedBefore` passes them). `fedBefore` trails the run's time by `settleMs`, so the key list stays short; the assumption is that
 * an object listed later than `settleMs` after it was written (an upload slower than that) does not happen.
 * Windows whose label horizon has passed are dropped and remembered as `settledBefore`: nothing new can reach
 * them, and a manual re-run of one feeds nothing.
 */
export interface WindowWatermark {
  /** ISO-8601: the window's end, to know when it settles */
  readonly end: string;
  readonly fedBefore: string;
  readonly recent: readonly { readonly key: string; readonly at: string }[];
}

export interface Watermarks {
  readonly windows: Readonly<Record<string, WindowWatermark>>;
  /** windows starting before this are settled (their labels were fed, or can no longer arrive) */
  readonly settledBefore: string | null;
}

export const SETTLE_MS = 15 * 60_000;

/** the batches of the window not fed yet, in the order they arrived */
export const unfedBatches = (
  watermarks: Watermarks,
  windowStart: string,
  batches: readonly LabelBatch[],
): LabelBatch[] => {
  if (watermarks.settledBefore !== null && windowStart < watermarks.settledBefore) return [];
  const mark = watermarks.windows[windowStart];
  if (!mark) return [...batches];
  const fedBefore = Date.parse(mark.fedBefore);
  const recent = new Set(mark.recent.map((r) => r.key));
  return batches.filter((b) => b.lastModified.getTime() >= fedBefore && !recent.has(b.key));
};

/** the watermarks once `fed` have been fed for the window at `now`, with settled windows dropped */
export const advanceWatermarks = (
  watermarks: Watermarks,
  window: { readonly start: string; readonly end: string },
  fed: readonly LabelBatch[],
  now: Date,
  horizonMs: number,
): Watermarks => {
  const previous = watermarks.windows[window.start];
  const fedBefore = Math.max(now.getTime() - SETTLE_MS, previous ? Date.parse(previous.fedBefore) : 0);
  const recent = new Map<string, string>();
  for (const entry of previous?.recent ?? []) recent.set(entry.key, entry.at);
  for (const b of fed) recent.set(b.key, b.lastModified.toISOString());
  const kept = [...recent].filter(([, at]) => Date.parse(at) >= fedBefore).map(([key, at]) => ({ key, at }));
  const windows: Record<string, WindowWatermark> = {
    ...watermarks.windows,
    [window.start]: { end: window.end, fedBefore: new Date(fedBefore).toISOString(), recent: kept },
  };
  let settledBefore = watermarks.settledBefore;
  for (const [start, mark] of Object.entries(windows)) {
    if (Date.parse(mark.end) + horizonMs + SETTLE_MS < now.getTime()) {
      delete windows[start];
      if (settledBefore === null || mark.end > settledBefore) settledBefore = mark.end;
    }
  }
  return { windows, settledBefore };
};
