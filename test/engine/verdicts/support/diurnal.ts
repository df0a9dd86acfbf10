/** Diurnal streams for the seasonal-reference tests and the bench (see simulation-seasonal.test.ts). */
import {
  advanceFeatureEvidence,
  evidenceOf,
  freshFeatureEvidence,
} from '../../../../functions/engine/verdicts/feature-evidence.ts';
import type { FeatureReference } from '../../../../functions/engine/verdicts/feature-reference.ts';
import { dkwMargin, kllRankError } from '../../../../functions/engine/verdicts/rank-error.ts';
import {
  checkSlotRows,
  DEFAULT_MIN_SLOT_ROWS,
  mixtureFor,
  type SeasonalReference,
} from '../../../../functions/engine/verdicts/seasonal-reference.ts';
import { verdictSettings } from '../../../../functions/engine/verdicts/verdict-settings.ts';
import { drawWindow, logisticCdf, logisticQuantile, multinomial, rngFor } from './streams.ts';

// Diurnal traffic: in hour h the values are logistic shifted by μ(h) = 0.5·sin(2πh/24). The reference is 4 weeks
// of it (400 rows an hour, 11,200 per hour-of-day slot); the monitored stream 30 days of 100-row hourly windows.
const CELLS = 32;
const REFERENCE_ROWS_PER_HOUR = 400;
const ROWS = 100;
const DAYS = 30;
const diurnal = (hour: number): number => 0.5 * Math.sin((2 * Math.PI * hour) / 24);
const edges = Array.from({ length: CELLS - 1 }, (_, j) => logisticQuantile((j + 1) / CELLS));
const cellProbabilities = (shift: number): number[] => {
  const cdf = [0, ...edges.map((e) => logisticCdf(e - shift)), 1];
  return cdf.slice(1).map((c, i) => c - cdf[i]!);
};
const cdfAt = (shift: number): Float64Array => Float64Array.from(edges, (e) => logisticCdf(e - shift));

const references = (rng: () => number, risk: number) => {
  const slotRows = new Array<number>(24).fill(28 * REFERENCE_ROWS_PER_HOUR);
  const slotCounts = slotRows.map((n, h) => multinomial(n, cellProbabilities(diurnal(h)), rng));
  const total = slotRows.reduce((a, b) => a + b, 0);
  const pooledCounts = slotCounts.reduce((sum, counts) => sum.map((x, c) => x + counts[c]!));
  const margin = (n: number) => kllRankError(2048) + dkwMargin(n, risk);
  const pooled: FeatureReference = {
    name: 'x',
    kind: 'numerical',
    edges,
    categories: [],
    probabilities: pooledCounts.map((k) => k / total),
    rows: total,
    margin: margin(total),
  };
  const seasonal: SeasonalReference = {
    seasonality: 'hour-of-day',
    rows: slotRows,
    features: new Map([
      [
        'x',
        {
          probabilities: slotCounts.map((counts, h) => counts.map((k) => k / slotRows[h]!)),
          margins: slotRows.map(margin),
        },
      ],
    ]),
  };
  return { pooled, seasonal };
};

/** the first alarm's window index, or null, over a 30-day stream; `extra` shifts chosen hours from a window on */
export const runDiurnal = (
  seed: number,
  contextAware: boolean,
  extra?: { from: number; hours: (hour: number) => boolean; shift: number },
): number | null => {
  const settings = verdictSettings();
  const rng = rngFor(seed);
  const { pooled, seasonal } = references(rng, settings.referenceRisk);
  checkSlotRows('hour-of-day', seasonal.rows, DEFAULT_MIN_SLOT_ROWS);
  // context-aware: one lane per hour of day, as advanceVerdicts judges hourly windows of a seasonal reference
  let state = freshFeatureEvidence(CELLS, contextAware ? 24 : 1);
  for (let t = 0; t < DAYS * 24; t++) {
    const hour = t % 24;
    const shift = diurnal(hour) + (extra && t >= extra.from && extra.hours(hour) ? extra.shift : 0);
    const window = drawWindow(cdfAt(shift), ROWS, rng);
    const { probabilities, margin } = contextAware
      ? mixtureFor(pooled, seasonal, new Map([[hour, ROWS]]))
      : { probabilities: pooled.probabilities, margin: pooled.margin };
    state = advanceFeatureEvidence(
      state,
      pooled,
      probabilities,
      margin,
      window,
      settings,
      contextAware ? hour : 0,
    ).state;
    if (evidenceOf(state, settings) >= 1 / settings.alpha) return t;
  }
  return null;
};
