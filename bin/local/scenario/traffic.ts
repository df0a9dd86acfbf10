import { type LabelledExample, type RainFeatures, seasonOf } from './rain-model.ts';
import { mulberry32 } from './random.ts';
import type { SeattleDay } from './seattle-days.ts';

export interface DriftInjection {
  /** the hour from which the world changes; null for a run without drift */
  readonly fromHour: number | null;
  /** covariate shift: summer days over-represented and every temperature this many degrees warmer */
  readonly warmingCelsius: number;
  /** concept change: on windy days (wind above this) rain and dry swap, so the old model is wrong there */
  readonly windyAbove: number;
}

export const DEFAULT_DRIFT: Omit<DriftInjection, 'fromHour'> = { warmingCelsius: 4, windyAbove: 3.5 };

/**
 * Splits the real days into the training set (even days) and the pool that traffic is drawn from (odd
 * days), then serves each simulated hour a seeded sample of the pool, with the injected drift applied from
 * its hour on. Labels are the real weather, flipped on windy days after a concept change.
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
    this.training = days.filter((_, i) => i % 2 === 0).map((day) => labelled(day, false, 0));
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
      return labelled(day, drifted, drifted ? this.drift.warmingCelsius : 0, this.drift.windyAbove);
    });
  }
}

const labelled = (
  day: SeattleDay,
  conceptChanged: boolean,
  warming: number,
  windyAbove = 0,
): LabelledExample => {
  const features: RainFeatures = [
    day.tempMax + warming,
    day.tempMin + warming,
    day.wind,
    seasonOf(day.month),
  ];
  const rained = day.precipitation > 0;
  const label = conceptChanged && day.wind > windyAbove ? !rained : rained;
  return { features, label: label ? 1 : 0 };
};
