/**
 * An A/B test between two production variants that can be read every hour: per variant, the traffic it
 * served and the losses of its labelled predictions (errors as 0/1, or a chosen quality metric's loss scaled
 * to [0, 1]); across them, the paired betting test of `paired-test.ts` on differences formed within each hour
 * (`hour-differences.ts`). The state is a few numbers per variant, so it is stored between hourly runs.
 */
import { hourDifferences } from './hour-differences.ts';
import {
  advancePairedTest,
  freshPairedTest,
  type PairedTestState,
  type PairedTestView,
  viewPairedTest,
  type WinnerDecision,
  type WinnerTestSettings,
} from './paired-test.ts';

export interface VariantHour {
  /** requests the variant served in the hour, labelled or not */
  readonly requests: number;
  /** losses of its labelled predictions in arrival order, each in [0, 1] */
  readonly losses: readonly number[];
}

export interface VariantTally {
  readonly name: string;
  readonly requests: number;
  readonly labelled: number;
  readonly lossSum: number;
}

export interface AbTestState {
  readonly variants: readonly [VariantTally, VariantTally];
  readonly test: PairedTestState;
  readonly hours: number;
}

export const freshAbTest = (nameA: string, nameB: string): AbTestState => ({
  variants: [
    { name: nameA, requests: 0, labelled: 0, lossSum: 0 },
    { name: nameB, requests: 0, labelled: 0, lossSum: 0 },
  ],
  test: freshPairedTest(),
  hours: 0,
});

const tally = (variant: VariantTally, hour: VariantHour): VariantTally => {
  let lossSum = variant.lossSum;
  for (const loss of hour.losses) lossSum += loss;
  return {
    name: variant.name,
    requests: variant.requests + hour.requests,
    labelled: variant.labelled + hour.losses.length,
    lossSum,
  };
};

/** A loss outside [0, 1] or a negative request count: the message names the variant and the value. */
export class AbTestInputError extends Error {
  override readonly name = 'AbTestInputError';
}

const checkHour = (name: string, hour: VariantHour): void => {
  if (!(Number.isInteger(hour.requests) && hour.requests >= 0)) {
    throw new AbTestInputError(`variant ${name}: requests must be a whole number >= 0, got ${hour.requests}`);
  }
  const bad = hour.losses.find((loss) => !(loss >= 0 && loss <= 1));
  if (bad !== undefined) throw new AbTestInputError(`variant ${name}: a loss must be in [0, 1], got ${bad}`);
};

/** Feeds one hour of both variants. Pure. */
export const advanceAbTest = (
  state: AbTestState,
  hour: readonly [VariantHour, VariantHour],
  settings: WinnerTestSettings,
): AbTestState => {
  const [a, b] = state.variants;
  checkHour(a.name, hour[0]);
  checkHour(b.name, hour[1]);
  return {
    variants: [tally(a, hour[0]), tally(b, hour[1])],
    test: advancePairedTest(state.test, hourDifferences(hour[0].losses, hour[1].losses), settings),
    hours: state.hours + 1,
  };
};

export interface AbVariantView {
  readonly name: string;
  readonly requests: number;
  readonly labelled: number;
  /** its share of both variants' requests */
  readonly trafficShare: number;
  /** mean loss of its labelled predictions (the error rate for 0/1 losses) */
  readonly meanLoss: number | null;
}

export interface AbTestView extends Omit<PairedTestView, 'decision' | 'decidedAt'> {
  readonly variants: readonly [AbVariantView, AbVariantView];
  /** the winning variant's name, or `undecided` */
  readonly decision: WinnerDecision;
  readonly winner: string | null;
  /** hours fed when the decision was made */
  readonly decidedAtHour: number | null;
  readonly hours: number;
}

export const viewAbTest = (state: AbTestState): AbTestView => {
  const total = state.variants[0].requests + state.variants[1].requests;
  const view = (v: VariantTally): AbVariantView => ({
    name: v.name,
    requests: v.requests,
    labelled: v.labelled,
    trafficShare: total > 0 ? v.requests / total : 0,
    meanLoss: v.labelled > 0 ? v.lossSum / v.labelled : null,
  });
  const { decidedAt, ...paired } = viewPairedTest(state.test);
  return {
    ...paired,
    variants: [view(state.variants[0]), view(state.variants[1])],
    winner:
      paired.decision === 'A'
        ? state.variants[0].name
        : paired.decision === 'B'
          ? state.variants[1].name
          : null,
    decidedAtHour: decidedAt,
    hours: state.hours,
  };
};
