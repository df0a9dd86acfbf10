/**
 * Harm, not just change (Podkopaev & Ramdas 2022, "Tracking the risk of a deployed model and detecting
 * harmful distribution shifts"): an e-process against "the model's error on production is at most θ",
 * θ = an upper confidence bound of its holdout error + a tolerance. It alarms only when the error provably
 * exceeds what the model was accepted with, however often it is looked at.
 *
 * Error rates (binary, multiclass): each labelled prediction pays e − θ at a bet λ ∈ [0, 0.5/θ], so
 * log K += e·ln(1 + λ(1 − θ)) + (n − e)·ln(1 − λθ) for e errors among n labels; λ is aGRAPA's
 * (μ̂ − θ)/(μ̂(1 − μ̂) + (μ̂ − θ)²), clipped, with μ̂ the error of the last 3 batches shrunk towards θ by
 * PRIOR_LABELS pseudo-labels at θ. (VERDICTS.md's μ̂ = (½ + Σe)/(1 + Σn) starts at ½: with θ = 0.27 its first
 * bet of 0.76 over a batch of 150 labels at the null's own error rate loses e^14, which no later evidence
 * recovers; a prior at θ starts with no bet.)
 * Bounded losses in [0, 1] (regression, scaled): from a batch's (n, Σx, Σx²) alone, by Fan's inequality
 * exp(λy − ψ(λ)y²) <= 1 + λy for y = x − θ >= −1, ψ(λ) = −ln(1 − λ) − λ, λ ∈ [0, 0.5].
 * Both assume the labelled predictions are independent draws (as the paper does).
 */

export interface ErrorBatch {
  /** labelled predictions */
  readonly n: number;
  /** errors (0/1 each) or summed losses in [0, 1] */
  readonly sum: number;
  /** summed squared losses (bounded losses only; equals sum for 0/1 errors) */
  readonly squares?: number;
}

export interface ErrorEvidenceState {
  readonly logWealth: number;
  readonly maxLogWealth: number;
  /** the last batches (at most RECENT_BATCHES), for the bet */
  readonly recent: { n: number; sum: number; squares: number }[];
  readonly labelled: number;
  readonly batches: number;
}

/**
 * the bet's error estimate looks this many batches back: a day of hourly batches (VERDICTS.md's 24 hours)
 * needs four or five harmful hours before the estimate crosses θ and any bet is made; three batches start
 * betting in the second harmful one, while θ's margin over the holdout error keeps the null's bets at 0
 */
export const RECENT_BATCHES = 3;
/** pseudo-labels at θ that the bet's error estimate starts from */
export const PRIOR_LABELS = 50;

export const freshErrorEvidence = (): ErrorEvidenceState => ({
  logWealth: 0,
  maxLogWealth: 0,
  recent: [],
  labelled: 0,
  batches: 0,
});

export type LossKind = 'error-rate' | 'bounded-loss';

export interface ErrorStep {
  readonly status: 'fed' | 'no-labels';
  readonly n: number;
  /** the batch's mean error or loss */
  readonly mean: number | null;
  readonly bet: number;
}

const recentMean = (
  recent: ErrorEvidenceState['recent'],
  theta: number,
): { mean: number; variance: number } => {
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (const batch of recent) {
    n += batch.n;
    sum += batch.sum;
    squares += batch.squares;
  }
  const mean = (PRIOR_LABELS * theta + sum) / (PRIOR_LABELS + n);
  const variance = n > 0 ? Math.max(squares / n - (sum / n) ** 2, 0) : theta * (1 - theta);
  return { mean, variance };
};

/** ψ_E(λ) = −ln(1 − λ) − λ */
const psiE = (lambda: number): number => -Math.log1p(-lambda) - lambda;

/** Feeds one batch of labelled predictions; `tolerance` is θ in (0, 1). Pure. */
export const advanceErrorEvidence = (
  state: ErrorEvidenceState,
  batch: ErrorBatch,
  tolerance: number,
  kind: LossKind,
): { state: ErrorEvidenceState; step: ErrorStep } => {
  if (!(batch.n > 0)) return { state, step: { status: 'no-labels', n: 0, mean: null, bet: 0 } };
  const theta = tolerance;
  const { mean, variance } = recentMean(state.recent, theta);
  const squares = batch.squares ?? batch.sum;
  let lambda: number;
  let gain: number;
  if (kind === 'error-rate') {
    const excess = mean - theta;
    lambda = Math.min(Math.max(excess / (mean * (1 - mean) + excess * excess), 0), 0.5 / theta);
    gain = batch.sum * Math.log1p(lambda * (1 - theta)) + (batch.n - batch.sum) * Math.log1p(-lambda * theta);
  } else {
    const excess = mean - theta;
    lambda = Math.min(Math.max(excess / (variance + excess * excess), 0), 0.5);
    // Σ(x − θ)² from the batch's sums
    const centred = squares - 2 * theta * batch.sum + batch.n * theta * theta;
    gain = lambda * (batch.sum - batch.n * theta) - psiE(lambda) * centred;
  }
  const logWealth = state.logWealth + gain;
  const recent = [...state.recent, { n: batch.n, sum: batch.sum, squares }].slice(-RECENT_BATCHES);
  return {
    state: {
      logWealth,
      maxLogWealth: Math.max(state.maxLogWealth, logWealth),
      recent,
      labelled: state.labelled + batch.n,
      batches: state.batches + 1,
    },
    step: { status: 'fed', n: batch.n, mean: batch.sum / batch.n, bet: lambda },
  };
};

export const errorEvidenceOf = (state: ErrorEvidenceState): number =>
  Math.exp(Math.min(state.logWealth, 700));

/**
 * An upper confidence bound of an error rate measured as `errors` of `n` on a holdout: the Clopper–Pearson
 * bound at level 1 − risk, by bisection on the binomial CDF (exact for the n of a holdout).
 */
export const errorUpperBound = (errors: number, n: number, risk = 0.05): number => {
  if (n <= 0) return 1;
  if (errors >= n) return 1;
  // P(Bin(n, p) <= errors), decreasing in p; summed in logs, as (1 − p)^n underflows for a large holdout
  const cdf = (p: number): number => {
    let logTerm = n * Math.log1p(-p);
    let logTotal = logTerm;
    const ratio = Math.log(p) - Math.log1p(-p);
    for (let k = 1; k <= errors; k++) {
      logTerm += Math.log((n - k + 1) / k) + ratio;
      const high = Math.max(logTotal, logTerm);
      logTotal = high + Math.log(Math.exp(logTotal - high) + Math.exp(logTerm - high));
    }
    return Math.exp(logTotal);
  };
  let lo = errors / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) > risk) lo = mid;
    else hi = mid;
  }
  return hi;
};
