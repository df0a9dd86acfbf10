import { type LabelledExample, type RainFeatures, seasonOf } from './rain-model.ts';
import { mulberry32 } from './random.ts';
import type { SeattleDay } from './seattle-days.ts';

export interface DriftInjection {
  /** the hour from which the world changes; null for a run without drift */
  readonly fromHour: number | null;
  /** covariate shift: summer days over-represented and every temperature this many degrees warmer */
  readonly warmingCelsius: number;
}

export const DEFAULT_DRIFT: Omit<DriftInjection, 'fromHour'> = { warmingCelsius: 4 };

/**
 * The concept change: after the drift, warm and calm days bring rain (a monsoon-like regime), the reverse of
 * Seattle's record the model learned. Labels are drawn from this logistic rule, so a retrained linear model can
 * learn the new world while the old one gets it backwards.
 */
export const changedRainProbability = (tempMax: number, wind: number): number =>
  1 / (1 + Math.exp(-(0.45 * (tempMax - 22) - 0.8 * (wind - 3))));

/**
 * Splits the real days into the training set (even days) and the pool that traffic is drawn from (odd
 * days), then serves each simulated hour a seeded sample of the pool, with the injected drift applied from
 * its hour on. Labels are the real weather until the drift, then drawn from `changedRainProbability`.
 */
export class Traffic {
  readonly training: LabelledExample[];
  private readonly pool: readonly SeattleDay[];
  private readonly summer: readonly SeattleDay[];

  constructor(
    days: readonly SeattleDay[],
    private readonly drift: DriftInjection,
    private readonly seed: number,
  ) {
    this.training = days.filter((_, i) => i % 2 === 0).map((day) => labelled(day, 0, null));
    this.pool = days.filter((_, i) => i % 2 === 1);
    this.summer = this.pool.filter((day) => seasonOf(day.month) === 'summer');
  }

  drifted(hour: number): boolean {
    return this.drift.fromHour !== null && hour >= this.drift.fromHour;
  }

  /** the hour's requests with their true labels, the same for the same seed and hour */
  hour(hour: number, requests: number): LabelledExample[] {
    const random = mulberry32(this.seed * 100_003 + hour);
    const drifted = this.drifted(hour);
    return Array.from({ length: requests }, () => {
      // after the shift two draws in three come from summer
      const source = drifted && random() < 0.66 ? this.summer : this.pool;
      const day = source[Math.floor(random() * source.length)]!;
      return drifted ? labelled(day, this.drift.warmingCelsius, random()) : labelled(day, 0, null);
    });
  }
}

/** `draw` is a uniform draw for the changed concept's label, or null for the day's real weather */
const labelled = (day: SeattleDay, warming: number, draw: number | null): LabelledExample => {
  const features: RainFeatures = [
    day.tempMax + warming,
    day.tempMin + warming,
    day.wind,
    seasonOf(day.month),
  ];
  const rained =
    draw === null ? day.precipitation > 0 : draw < changedRainProbability(features[0], features[2]);
  return { features, label: rained ? 1 : 0 };
};
