/**
 * Online Newton step for the bet of a betting test (Shekhar & Ramdas 2023, "Nonparametric two-sample testing
 * by betting", §4): the bet follows the gradient of the log-wealth lost, scaled by the accumulated squared
 * gradients, starting from no bet. Its regret against the best constant bet in hindsight grows only as
 * log(t), so the wealth grows at nearly the best constant bet's rate under an alternative, and the bet
 * falls to 0 where the payoffs are negative, as they are under the null with a relevance margin.
 */

export interface BetState {
  /** the fraction of wealth staked on the next payoff, before the window's cap */
  readonly lambda: number;
  /** 1 + the squared gradients so far */
  readonly curvature: number;
}

export const FIRST_BET: BetState = { lambda: 0, curvature: 1 };

const STEP = 2 / (2 - Math.log(3));

/**
 * The bet after a window whose payoffs gave these gradients of −ln(1 + λ g), i.e. −g/(1 + λ g), summed and
 * summed in squares (one payoff a window at hour level, one a record at record level), clipped to
 * [0, maxLambda].
 */
export const nextBet = (
  bet: BetState,
  gradientSum: number,
  gradientSquares: number,
  maxLambda: number,
  memory = Number.POSITIVE_INFINITY,
): BetState => {
  const curvature = 1 + (bet.curvature - 1) * (1 - 1 / memory) + gradientSquares;
  const lambda = Math.min(Math.max(bet.lambda - (STEP * gradientSum) / curvature, 0), maxLambda);
  return { lambda, curvature };
};
