import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import { StaleStateError } from '../adapters/errors.ts';
import { summarizeProfile } from '../engine/baseline/feature-summary.ts';
import type { DatasetProfile } from '../engine/profile/dataset-profile.ts';
import { advanceVerdicts, type DatasetVerdict } from '../engine/verdicts/dataset-verdict.ts';
import { SLOT_MIX_FEATURE, seasonalReference } from '../engine/verdicts/seasonal-reference.ts';
import { referencesOf } from '../engine/verdicts/sequential-check.ts';
import { verdictSettings } from '../engine/verdicts/verdict-settings.ts';
import { type FeatureVerdictState, parseFeatureVerdictState } from '../engine/verdicts/verdict-state.ts';
import type { CurrentBaseline } from '../handler-kit/baseline-pointer.ts';
import { loadHarmState } from '../handler-kit/harm-state.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { verdictSettingsOf } from '../shared/config/verdicts-schema.ts';
import { NO_EVIDENCE, type VerdictContext, verdictStateName } from '../shared/verdict-context.ts';
import { windowSlots } from './window-slots.ts';

/**
 * The data job's sequential verdict (issue 12): each (model, feature) keeps its evidence in the state table
 * between runs, as the concept-drift detectors do, against the current baseline (a new baseline, as after
 * retraining, starts it afresh). Saved with conditional writes; a run that loses the race reloads and replays,
 * and a window fed before is not fed again. Also reads the model's harm state, so the run's violations carry
 * what is known of harm to the alert router.
 */
export interface SequentialVerdicts {
  readonly verdict: DatasetVerdict;
  readonly context: VerdictContext;
}

const MAX_ATTEMPTS = 5;

export const runSequentialVerdicts = async (deps: {
  readonly repository: DetectorStateRepository;
  readonly model: ModelConfig;
  readonly current: CurrentBaseline;
  readonly windowStart: string;
  readonly profile: DatasetProfile;
  readonly ignoreColumns: readonly string[];
  /** rows per capture hour (epoch ms of its start); @default every row in the window's first hour */
  readonly rowsByHour?: ReadonlyMap<number, number>;
  readonly now: Date;
}): Promise<SequentialVerdicts> => {
  const { repository, model, current } = deps;
  const settings = verdictSettings(verdictSettingsOf(model.verdicts));
  const pooled = referencesOf(
    current.baseline,
    `${current.pointer.statisticsKey}@${current.pointer.version}`,
    settings,
    { ignore: deps.ignoreColumns },
  );
  // a seasonal baseline: each window is compared with the mixture of its own slots (docs/verdicts.md)
  const seasonal = current.slots
    ? seasonalReference(
        current.slots.seasonality,
        pooled.features,
        current.slots.slots,
        settings.referenceRisk,
      )
    : undefined;
  const references = seasonal
    ? referencesOf(
        current.baseline,
        `${current.pointer.statisticsKey}@${current.pointer.version}`,
        settings,
        { ignore: deps.ignoreColumns, seasonal },
      )
    : pooled;
  // the slot mix keeps its evidence as a feature of its own
  const judged = [...references.features, ...(seasonal ? [{ name: SLOT_MIX_FEATURE }] : [])];
  const ignored = new Set(deps.ignoreColumns);
  const full = summarizeProfile(deps.profile);
  const summary = { rows: full.rows, features: full.features.filter((f) => !ignored.has(f.name)) };
  const slots = seasonal
    ? windowSlots(seasonal.seasonality, deps.windowStart, full.rows, deps.rowsByHour)
    : undefined;

  for (let attempt = 1; ; attempt++) {
    const stored = new Map<string, FeatureVerdictState>();
    const versions = new Map<string, number>();
    for (const reference of judged) {
      const name = verdictStateName(reference.name);
      const item = await repository.load(model.name, name);
      if (!item) continue;
      stored.set(
        reference.name,
        parseFeatureVerdictState(JSON.parse(item.stateJson), `state ${name} of ${model.name}`),
      );
      versions.set(reference.name, item.version);
    }
    const { states, verdict } = advanceVerdicts(
      references,
      { key: deps.windowStart, summary, ...slots },
      stored,
      settings,
    );
    try {
      if (verdict.status !== 'repeat') {
        for (const [feature, state] of states) {
          if (state === stored.get(feature)) continue;
          await repository.save(
            model.name,
            verdictStateName(feature),
            JSON.stringify(state),
            versions.get(feature) ?? 0,
            deps.now,
          );
        }
      }
    } catch (error) {
      if (error instanceof StaleStateError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    const harm = await loadHarmState(repository, model.name);
    const relevant = harm && harm.state.version === current.pointer.version ? harm.state : undefined;
    return {
      verdict,
      context: {
        ...NO_EVIDENCE,
        driftEvidence: verdict.features.some((f) => f.alarmedSince !== null),
        estimatedLoss: relevant?.estimatedSince != null,
        confirmedLoss: relevant ? relevant.measured || relevant.confirmedSince !== null : false,
        confirmedHarm: relevant?.confirmedSince != null,
      },
    };
  }
};
