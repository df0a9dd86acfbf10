import { z } from 'zod';
import { DEFAULT_VERDICT_SETTINGS, type VerdictSettings } from '../engine/verdicts/verdict-settings.ts';

/**
 * A model's `verdicts` settings (issue 12, docs/verdicts.md) and the baseline settings they bring: optional,
 * with the defaults the simulations justify, so existing configs mean what they meant plus sequential
 * evidence. Ranges are checked here, at synth, with one line naming the setting.
 */

const inOpen01 = (name: string) =>
  z
    .number()
    .gt(0, `must be in (0, 1): ${name} 0 or below means no difference is ever irrelevant`)
    .lt(1, `must be in (0, 1): a ${name} of 1 or more makes every shift irrelevant`);

export const verdictsConfigSchema = z
  .strictObject({
    /** δ: KS distance (numbers) or total variation (categories) below which a shift is irrelevant */
    relevance: inOpen01('relevance').default(DEFAULT_VERDICT_SETTINGS.relevance),
    /** false-alarm probability over a reference's whole life, and the FDR across features */
    alpha: z
      .number()
      .gt(0, 'must be in (0, 0.5]')
      .max(0.5, 'must be in (0, 0.5]: a false-alarm probability above one half is no test')
      .default(DEFAULT_VERDICT_SETTINGS.alpha),
    /** hour: one payoff per window (any dependence); record: one per record (assumes independent records) */
    level: z.enum(['hour', 'record']).default(DEFAULT_VERDICT_SETTINGS.level),
    /** test: alarm once at 1/α; shiryaev-roberts: a restarting detector with a mean run length of `arl` windows */
    form: z.enum(['test', 'shiryaev-roberts']).default(DEFAULT_VERDICT_SETTINGS.form),
    arl: z.number().min(1).default(DEFAULT_VERDICT_SETTINGS.arl),
    /**
     * harm: drift alone is info; warning needs drift evidence and an estimated loss, or a confirmed loss;
     * critical needs confirmed harm. margin: the severity of each check from its margin alone (before issue 12)
     */
    severity: z.enum(['harm', 'margin']).default('harm'),
    /** the model's error against what it was accepted with (the error e-process) */
    harm: z
      .strictObject({
        /** ε_tol: how far the error may exceed its holdout error (upper confidence bound) before it is harm */
        tolerance: z.number().gt(0).lt(1).default(0.05),
        /** the holdout error, when the registry has no evaluation of the champion; @default - from the registry, else the first labels */
        referenceError: z.number().min(0).lt(1).optional(),
        /** regression: absolute errors are divided by this and capped at 1 to make a bounded loss; @default - no error e-process */
        lossScale: z.number().positive().optional(),
        /** labelled predictions that set the reference error when nothing else does */
        burnInLabels: z.number().int().min(30).default(500),
      })
      .prefault({}),
  })
  .prefault({});
export type VerdictsConfig = z.output<typeof verdictsConfigSchema>;

/** the baseline's own settings for verdicts: seasonal slots, and what a retrained model is judged against */
export const baselineVerdictFields = {
  /** one reference per hour of day or of week, compared with the window's own slots; needs `timeField` */
  seasonality: z.enum(['none', 'hour-of-day', 'hour-of-week']).default('none'),
  /** the column holding each baseline row's time (seasonal baselines) */
  timeField: z.string().min(1).optional(),
  /**
   * training-set: a promoted model is judged against the data it was trained on (its new baseline);
   * recent-capture: against the recent labelled capture alone
   */
  afterRetraining: z.enum(['training-set', 'recent-capture']).default('training-set'),
};

/** a seasonal baseline needs to know each row's time */
export const baselineVerdictIssue = (baseline: {
  seasonality: string;
  timeField?: string;
}): { path: string[]; message: string } | undefined =>
  baseline.seasonality !== 'none' && baseline.timeField === undefined
    ? {
        path: ['baseline', 'seasonality'],
        message: "needs baseline.timeField: the column holding each baseline row's time",
      }
    : undefined;

/** the engine's settings from a model's config */
export const verdictSettingsOf = (config: VerdictsConfig): Partial<VerdictSettings> => ({
  relevance: config.relevance,
  alpha: config.alpha,
  level: config.level,
  form: config.form,
  arl: config.arl,
});
