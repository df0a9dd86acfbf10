/** Simulated streams of many correlated features for the e-BH tests and the bench (see simulation-dependence.test.ts). */
import {
  advanceFeatureEvidence,
  evidenceOf,
  type FeatureEvidenceState,
  freshFeatureEvidence,
} from '../../../../functions/engine/verdicts/feature-evidence.ts';
import type { FeatureReference } from '../../../../functions/engine/verdicts/feature-reference.ts';
import { eBenjaminiHochberg } from '../../../../functions/engine/verdicts/many-features.ts';
import { dkwMargin, kllRankError } from '../../../../functions/engine/verdicts/rank-error.ts';
import { verdictSettings } from '../../../../functions/engine/verdicts/verdict-settings.ts';
import { multinomial, normalCdf, normalShiftForDistance, rngFor } from './streams.ts';

// 50 features whose records share a common factor (correlation ρ = 0.5 between every pair of features), and
// whose windows share an hourly factor too (all features moved together by a random shift of KS distance up to
// δ, so each window stays within the null); 5 features are shifted by KS 0.15 besides, 45 not.
const FEATURES = 50;
const SHIFTED = 5;
const RHO = 0.5;
const CELLS = 32;
const ROWS = 100;
const WINDOWS = 720;
const REFERENCE_ROWS = 100_000;

/** a reference on the uniform scale of Φ: cell c holds Φ(x) in (c/32, (c+1)/32], probabilities as sampled */
const uniformScaleReference = (name: string, risk: number, rng: () => number): FeatureReference => {
  const counts = multinomial(REFERENCE_ROWS, new Array<number>(CELLS).fill(1 / CELLS), rng);
  return {
    name,
    kind: 'numerical',
    edges: Array.from({ length: CELLS - 1 }, (_, j) => (j + 1) / CELLS),
    categories: [],
    probabilities: counts.map((k) => k / REFERENCE_ROWS),
    rows: REFERENCE_ROWS,
    margin: kllRankError(2048) + dkwMargin(REFERENCE_ROWS, risk),
  };
};

/** Φ^-1(c/32) for c = 1..31, so a value's cell is found by comparisons instead of evaluating Φ */
const cellEdges = Array.from({ length: CELLS - 1 }, (_, j) => {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < (j + 1) / CELLS) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
});

const cellOf = (x: number): number => {
  let lo = 0;
  let hi = CELLS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= cellEdges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** standard normal pairs (Box–Muller, both outputs used) */
const normals = (rng: () => number) => {
  let spare: number | null = null;
  return (): number => {
    if (spare !== null) {
      const x = spare;
      spare = null;
      return x;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
};

/**
 * The false discovery proportion at the first window where e-BH rejects anything, per stream (0 for streams
 * that never alarm within the windows), and how many streams alarmed.
 */
export const correlatedStreams = (
  streams: number,
  seed = 31_337,
): { proportions: number[]; alarmed: number } => {
  const settings = verdictSettings();
  const shift = normalShiftForDistance(0.15);
  const proportions: number[] = [];
  let alarmed = 0;

  for (let s = 0; s < streams; s++) {
    const rng = rngFor(seed + s);
    const normal = normals(rng);
    const references = Array.from({ length: FEATURES }, (_, j) =>
      uniformScaleReference(`f${j}`, settings.referenceRisk, rng),
    );
    let states: FeatureEvidenceState[] = references.map(() => freshFeatureEvidence(CELLS));
    for (let t = 0; t < WINDOWS; t++) {
      const counts = references.map(() => new Array<number>(CELLS).fill(0));
      const hourly = (rng() < 0.5 ? -1 : 1) * normalShiftForDistance(rng() * settings.relevance);
      for (let i = 0; i < ROWS; i++) {
        const common = Math.sqrt(RHO) * normal();
        for (let j = 0; j < FEATURES; j++) {
          const x = common + Math.sqrt(1 - RHO) * normal() + hourly + (j < SHIFTED ? shift : 0);
          counts[j]![cellOf(x)]! += 1;
        }
      }
      states = states.map(
        (state, j) =>
          advanceFeatureEvidence(
            state,
            references[j]!,
            references[j]!.probabilities,
            references[j]!.margin,
            { rows: ROWS, counts: counts[j]! },
            settings,
          ).state,
      );
      const rejected = eBenjaminiHochberg(
        states.map((state) => evidenceOf(state, settings)),
        settings.alpha,
      );
      const total = rejected.filter(Boolean).length;
      if (total > 0) {
        alarmed += 1;
        proportions.push(rejected.filter((r, j) => r && j >= SHIFTED).length / total);
        break;
      }
    }
  }

  while (proportions.length < streams) proportions.push(0);
  return { proportions, alarmed };
};
