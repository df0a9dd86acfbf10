import type { Baseline } from '../baseline/load-baseline.ts';
import type { VerdictReferences } from './dataset-verdict.ts';
import { featureReference } from './feature-reference.ts';
import type { SeasonalReference } from './seasonal-reference.ts';
import type { VerdictSettings } from './verdict-settings.ts';

/**
 * The sequential side of a data check, shared by the data job, the fan-out reducer and `model-care backtest`,
 * so all three judge a window with the same references, settings and state.
 */

/**
 * The references of a baseline's typed features (less `ignore`), named by `id` plus everything the evidence
 * depends on (δ, level, form, risk), so that changing a setting starts the evidence afresh rather than
 * continuing a bet made under other rules.
 */
export const referencesOf = (
  baseline: Baseline,
  id: string,
  settings: VerdictSettings,
  options: { readonly ignore?: readonly string[]; readonly seasonal?: SeasonalReference } = {},
): VerdictReferences => {
  const ignored = new Set(options.ignore ?? []);
  const features = baseline.summary.features
    .filter((f) => !ignored.has(f.name))
    .flatMap((f) => featureReference(f, { risk: settings.referenceRisk }) ?? []);
  const rules = `δ=${settings.relevance};level=${settings.level};form=${settings.form};risk=${settings.referenceRisk}`;
  const seasonality = options.seasonal ? `;seasonality=${options.seasonal.seasonality}` : '';
  return {
    id: `${id}#${rules}${seasonality}`,
    features,
    ...(options.seasonal ? { seasonal: options.seasonal } : {}),
  };
};
