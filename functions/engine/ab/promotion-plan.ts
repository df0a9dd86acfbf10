/**
 * What to do with an A/B test's decision: when the challenger variant has won (by the test's margin), send it
 * all the traffic the two variants had, either at once (`auto`) or after a person approves (`manual`: the
 * plan is to ask, never to shift). A champion that wins, or no decision yet, changes nothing. Pure: the
 * promoter (functions/ab-test/) carries the plan out through the endpoint-control port.
 */
import type { AbTestView } from './ab-test.ts';

export type PromotionApproval = 'auto' | 'manual';

export type AbPromotionPlan =
  | { readonly kind: 'none'; readonly reason: string }
  | {
      readonly kind: 'shift' | 'ask';
      readonly challenger: string;
      readonly champion: string;
      readonly before: Readonly<Record<string, number>>;
      readonly after: Readonly<Record<string, number>>;
      readonly reason: string;
    };

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

export const planAbPromotion = (
  view: AbTestView,
  approval: PromotionApproval,
  /** the two variants' current weights on the endpoint */
  currentWeights: Readonly<Record<string, number>>,
): AbPromotionPlan => {
  const [champion, challenger] = view.variants;
  if (view.decision === 'undecided') {
    return {
      kind: 'none',
      reason: `no decision after ${view.hours} hours (evidence ${view.evidence.toFixed(2)})`,
    };
  }
  if (view.decision === 'A') return { kind: 'none', reason: `the champion ${champion.name} won` };
  const total = (currentWeights[champion.name] ?? 0) + (currentWeights[challenger.name] ?? 0);
  const after = { [champion.name]: 0, [challenger.name]: total > 0 ? total : 1 };
  if ((currentWeights[champion.name] ?? 0) === 0) {
    return { kind: 'none', reason: `the challenger ${challenger.name} already serves all their traffic` };
  }
  const reason =
    `${challenger.name} errs less than ${champion.name} (${percent(challenger.meanLoss ?? 0)} vs ` +
    `${percent(champion.meanLoss ?? 0)}; difference ${view.difference?.toFixed(4)} in ` +
    `[${view.lower.toFixed(4)}, ${view.upper.toFixed(4)}]; evidence ${view.evidence.toFixed(1)} after ` +
    `${view.decidedAtHour} hours)`;
  return {
    kind: approval === 'auto' ? 'shift' : 'ask',
    challenger: challenger.name,
    champion: champion.name,
    before: {
      [champion.name]: currentWeights[champion.name] ?? 0,
      [challenger.name]: currentWeights[challenger.name] ?? 0,
    },
    after,
    reason,
  };
};
