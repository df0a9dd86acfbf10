/**
 * A confidence sequence for the mean of bounded values: the predictable plug-in empirical-Bernstein sequence
 * (PrPl-EB) of Waudby-Smith & Ramdas, "Estimating means of bounded random variables by betting" (JRSS-B 2023),
 * Theorem 2. It covers the running mean at every time at once with probability >= 1 − α, so it can be read
 * every hour and still mean what it says. Values are rescaled from [low, high] to [0, 1]; each value's weight
 * λ_i is computed from the values before it only (predictable), which is what makes the bound time-uniform.
 * The interval kept is the running intersection: each interval covers, so their intersection does too.
 */

export interface MeanSequenceState {
  readonly n: number;
  /** Σ x_i on the [0, 1] scale */
  readonly sum: number;
  /** Σ (x_i − μ̂_i)², μ̂_i the shrunk mean after x_i */
  readonly deviations: number;
  /** Σ λ_i x_i */
  readonly weighted: number;
  /** Σ λ_i */
  readonly weights: number;
  /** Σ v_i ψ_E(λ_i) */
  readonly penalty: number;
  /** the running intersection, on the [0, 1] scale */
  readonly lower: number;
  readonly upper: number;
}

export const freshMeanSequence = (): MeanSequenceState => ({
  n: 0,
  sum: 0,
  deviations: 0,
  weighted: 0,
  weights: 0,
  penalty: 0,
  lower: 0,
  upper: 1,
});

/** the largest weight: 1/2 keeps ψ_E small (the paper uses 1/2 or 3/4) */
const MAX_WEIGHT = 0.5;

/** ψ_E(λ) / 4 = (−ln(1 − λ) − λ) / 4, the empirical-Bernstein penalty of a weight */
const psi = (lambda: number): number => (-Math.log1p(-lambda) - lambda) / 4;

/** Feeds values in [0, 1] in their order; pure. */
export const advanceMeanSequence = (
  state: MeanSequenceState,
  values: readonly number[],
  alpha: number,
): MeanSequenceState => {
  if (values.length === 0) return state;
  const logTerm = Math.log(2 / alpha);
  let { n, sum, deviations, weighted, weights, penalty } = state;
  for (const x of values) {
    const t = n + 1;
    const priorMean = (0.5 + sum) / t;
    const priorVariance = (0.25 + deviations) / t;
    const lambda = Math.min(Math.sqrt((2 * logTerm) / (priorVariance * t * Math.log1p(t))), MAX_WEIGHT);
    weighted += lambda * x;
    weights += lambda;
    penalty += 4 * (x - priorMean) ** 2 * psi(lambda);
    sum += x;
    n = t;
    deviations += (x - (0.5 + sum) / (t + 1)) ** 2;
  }
  const centre = weighted / weights;
  const radius = (logTerm + penalty) / weights;
  return {
    n,
    sum,
    deviations,
    weighted,
    weights,
    penalty,
    lower: Math.max(state.lower, centre - radius, 0),
    upper: Math.min(state.upper, centre + radius, 1),
  };
};

/** The interval on the values' own scale [low, high]; an empty intersection (possible only with probability α) is reported as the point where it closed. */
export const meanInterval = (
  state: MeanSequenceState,
  low: number,
  high: number,
): { mean: number | null; lower: number; upper: number } => {
  const span = high - low;
  const lower = Math.min(state.lower, state.upper);
  const upper = Math.max(state.lower, state.upper);
  return {
    mean: state.n > 0 ? low + span * (state.sum / state.n) : null,
    lower: low + span * lower,
    upper: low + span * upper,
  };
};
