import { z } from 'zod';
import { DEFAULT_VERDICT_SETTINGS, type VerdictSettings } from '../../engine/verdicts/verdict-settings.ts';
import { doc } from './zod-primitives.ts';

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
    relevance: inOpen01('relevance')
      .default(DEFAULT_VERDICT_SETTINGS.relevance)
      .meta(
        doc(
          'δ in (0, 1): KS distance (numbers) or total variation (categories) below which a shift never alarms',
        ),
      ),
    alpha: z
      .number()
      .gt(0, 'must be in (0, 0.5]')
      .max(0.5, 'must be in (0, 0.5]: a false-alarm probability above one half is no test')
      .default(DEFAULT_VERDICT_SETTINGS.alpha)
      .meta(
        doc(
          "in (0, 0.5]: false-alarm probability over a baseline's whole life, and the FDR across features; " +
            'evidence alarms at 1/α',
        ),
      ),
    level: z
      .enum(['hour', 'record'])
      .default(DEFAULT_VERDICT_SETTINGS.level)
      .meta(
        doc(
          '`hour`: one payoff per window (any dependence); `record`: one per record (assumes independent records)',
        ),
      ),
    form: z
      .enum(['test', 'shiryaev-roberts'])
      .default(DEFAULT_VERDICT_SETTINGS.form)
      .meta(doc('`test`: alarm once at 1/α; `shiryaev-roberts`: a detector that restarts after each alarm')),
    arl: z
      .number()
      .min(1)
      .default(DEFAULT_VERDICT_SETTINGS.arl)
      .meta(doc('`shiryaev-roberts`: mean run length to a false alarm, in windows (at least this)')),
    severity: z
      .enum(['harm', 'margin'])
      .default('harm')
      .meta(
        doc(
          '`harm`: drift alone is info, warning needs drift evidence and an estimated loss or a confirmed loss, ' +
            'critical needs confirmed harm; `margin`: every check graded by its margin (as before issue 12)',
        ),
      ),
    harm: z
      .strictObject({
        tolerance: z
          .number()
          .gt(0)
          .lt(1)
          .default(0.05)
          .meta(
            doc(
              'ε_tol: how far the error may exceed its holdout error (upper confidence bound) before it is harm',
            ),
          ),
        referenceError: z
          .number()
          .min(0)
          .lt(1)
          .optional()
          .meta(
            doc(
              'the holdout error, when the registry has no evaluation of the champion',
              "1 - the champion's holdout accuracy (registry), else from the first `burnInLabels` labels",
            ),
          ),
        lossScale: z
          .number()
          .positive()
          .optional()
          .meta(
            doc(
              'regression: absolute errors are divided by this and capped at 1 to make a bounded loss',
              'none: no error e-process for regression',
            ),
          ),
        burnInLabels: z
          .number()
          .int()
          .min(30)
          .default(500)
          .meta(doc('labelled predictions that set the reference error when nothing else does')),
      })
      // no description of its own, so that docs/deploy.md lists each field
      .prefault({}),
  })
  // no description of its own, so that docs/deploy.md lists each field (docs/verdicts.md explains them)
  .prefault({});
export type VerdictsConfig = z.output<typeof verdictsConfigSchema>;

/** the baseline's own settings for verdicts: seasonal slots, and what a retrained model is judged against */
export const baselineVerdictFields = {
  seasonality: z
    .enum(['none', 'hour-of-day', 'hour-of-week'])
    .default('none')
    .meta(
      doc(
        "one reference per hour of day or of week, compared with the window's own slots; needs `timeField` " +
          '(docs/verdicts.md)',
      ),
    ),
  timeField: z
    .string()
    .min(1)
    .optional()
    .meta(doc("the column holding each baseline row's time (seasonal baselines)")),
  afterRetraining: z
    .enum(['training-set', 'recent-capture'])
    .default('training-set')
    .meta(
      doc(
        'what a promoted model is judged against: the data it was trained on, or `recent-capture` (the recent ' +
          'labelled capture alone; the training set when there is none)',
      ),
    ),
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
