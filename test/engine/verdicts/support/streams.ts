/**
 * Simulated monitoring streams for the verdict tests and the bench. Values follow a logistic distribution,
 * whose CDF and quantiles are closed-form, so the true KS distance of a location shift μ is known exactly:
 * sup |F(x) − F(x − μ)| = tanh(μ / 4). The stream is simulated on what the e-process reads, the window's
 * counts in the reference's cells, drawn record by record from the true distribution.
 */
import type {
  FeatureReference,
  WindowCells,
} from '../../../../functions/engine/verdicts/feature-reference.ts';
import { dkwMargin, kllRankError } from '../../../../functions/engine/verdicts/rank-error.ts';
import { mulberry32 } from '../../../support/random.ts';

export type Rng = () => number;
export const rngFor = (seed: number): Rng => mulberry32(seed);

export const logisticCdf = (x: number): number => 1 / (1 + Math.exp(-x));
export const logisticQuantile = (p: number): number => Math.log(p / (1 - p));
/** the location shift whose KS distance to the unshifted logistic is `distance` */
export const shiftForDistance = (distance: number): number => 4 * Math.atanh(distance);

/** standard normal draw (Box–Muller) */
export const normal = (rng: Rng): number => {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
};

/** Binomial(n, p) by the normal approximation where it is accurate, else by counting uniforms */
export const binomial = (n: number, p: number, rng: Rng): number => {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * p * (1 - p) > 50) {
    const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rng));
    return Math.min(n, Math.max(0, x));
  }
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k += 1;
  return k;
};

/** multinomial counts of n draws over cells of the given probabilities (conditional binomials) */
export const multinomial = (n: number, probabilities: readonly number[], rng: Rng): number[] => {
  const counts: number[] = [];
  let left = n;
  let mass = 1;
  for (let c = 0; c < probabilities.length; c++) {
    const p = probabilities[c]!;
    const k =
      c === probabilities.length - 1 ? left : binomial(left, mass > 0 ? Math.min(1, p / mass) : 0, rng);
    counts.push(k);
    left -= k;
    mass -= p;
  }
  return counts;
};

/**
 * A numerical reference as the engine builds it from a baseline of `rows` values: cells between the
 * population's quantiles, each cell's probability as observed in the baseline sample (so it carries the
 * baseline's sampling error, which the margin must cover), the margin as featureReference computes it.
 */
export const simulatedReference = (
  rows: number,
  cells: number,
  risk: number,
  rng: Rng,
  sketched = rows > 2048,
): FeatureReference => {
  const edges = Array.from({ length: cells - 1 }, (_, j) => logisticQuantile((j + 1) / cells));
  const counts = multinomial(rows, new Array<number>(cells).fill(1 / cells), rng);
  return {
    name: 'x',
    kind: 'numerical',
    edges,
    categories: [],
    probabilities: counts.map((k) => k / rows),
    rows,
    margin: (sketched ? kllRankError(2048) : 0) + dkwMargin(rows, risk),
  };
};

/** the true CDF at the reference's edges of the logistic shifted by μ */
export const shiftedCdf = (reference: FeatureReference, shift: number): Float64Array =>
  Float64Array.from(reference.edges, (e) => logisticCdf(e - shift));

/** draws the counts of `rows` records, each copied `copies` times, in the cells whose CDF at the edges is given */
export const drawWindow = (cdf: Float64Array, rows: number, rng: Rng, copies = 1): WindowCells => {
  const counts = new Array<number>(cdf.length + 1).fill(0);
  for (let i = 0; i < rows; i += copies) {
    const u = rng();
    let lo = 0;
    let hi = cdf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u <= cdf[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]! += Math.min(copies, rows - i);
  }
  return { rows, counts };
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** the share of `hits` in `trials` with its binomial standard error */
export const rate = (hits: number, trials: number): { rate: number; se: number } => ({
  rate: hits / trials,
  se: Math.sqrt(((hits / trials) * (1 - hits / trials)) / trials),
});

/** standard normal CDF by the complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7) */
export const normalCdf = (x: number): number => {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
};

/** the location shift of a standard normal whose KS distance to it is `distance`: 2Φ(μ/2) − 1 = d */
export const normalShiftForDistance = (distance: number): number => {
  // bisection on the monotone 2Φ(μ/2) − 1
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (2 * normalCdf(mid / 2) - 1 < distance) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};
