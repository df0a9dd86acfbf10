import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import { StaleStateError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RegistryRepository } from '../adapters/registry-repository.ts';
import type { PerformanceEstimate } from '../engine/quality/performance-estimate.ts';
import {
  advanceErrorEvidence,
  errorEvidenceOf,
  errorUpperBound,
  type LossKind,
} from '../engine/verdicts/error-evidence.ts';
import { readBaselinePointer } from '../handler-kit/baseline-pointer.ts';
import { freshHarmState, type HarmState, loadHarmState } from '../handler-kit/harm-state.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { HARM_STATE_NAME, type VerdictContext } from '../shared/verdict-context.ts';

/**
 * The quality job's harm evidence (issue 12, item 2): the labels this run fed to the concept-drift detectors
 * also feed an e-process against "error <= θ", θ = the holdout error (its upper confidence bound) + the
 * tolerance; the label-free estimate feeds a second one, an unconfirmed signal. Kept in one state item per
 * model and reference version, so a retrained model starts afresh.
 *
 * Windows that opened before the current version's baseline was written hold the previous version's
 * predictions and are left out.
 *
 * θ comes from, first found: `verdicts.harm.referenceError`; the champion's holdout accuracy in the registry;
 * else the first `burnInLabels` labelled predictions of this version (their Clopper–Pearson upper bound, or
 * Hoeffding's for bounded losses), which then set θ and are not bet on.
 */
export interface HarmOutcome {
  readonly state: HarmState;
  readonly context: Omit<VerdictContext, 'driftEvidence'>;
  /** the error e-process's evidence now (1 before θ is set) */
  readonly evidence: number;
  /** the estimate's e-process evidence now */
  readonly estimateEvidence: number;
  readonly newlyConfirmed: boolean;
}

const MAX_ATTEMPTS = 5;

const lossKind = (model: ModelConfig): LossKind | undefined =>
  model.problemType === 'regression'
    ? model.verdicts.harm.lossScale === undefined
      ? undefined
      : 'bounded-loss'
    : 'error-rate';

/** θ from the config or the registry, when either has it */
const knownTolerance = async (
  model: ModelConfig,
  registry: RegistryRepository,
  version: number,
): Promise<HarmState['tolerance']> => {
  const { tolerance, referenceError } = model.verdicts.harm;
  if (referenceError !== undefined)
    return { theta: Math.min(0.99, referenceError + tolerance), source: 'config' };
  if (model.problemType === 'regression' || version === 0) return null;
  const accuracy = (await registry.getVersion(model.name, version))?.evaluation.accuracy;
  if (accuracy === undefined || !Number.isFinite(accuracy)) return null;
  return {
    theta: Math.min(0.99, 1 - accuracy + tolerance),
    source: `holdout accuracy of version ${version}`,
  };
};

export const advanceHarmEvidence = async (deps: {
  readonly repository: DetectorStateRepository;
  readonly store: ObjectStore;
  readonly registry: RegistryRepository;
  readonly model: ModelConfig;
  readonly windowStart: string;
  /** labelled predictions fed by this run and their summed losses (0/1 errors, or bounded losses) */
  readonly fed: number;
  readonly loss: { readonly sum: number; readonly squares: number };
  readonly estimate: PerformanceEstimate | null;
  /** the run failed a model-quality constraint */
  readonly measured: boolean;
  readonly now: Date;
}): Promise<HarmOutcome | undefined> => {
  const { model } = deps;
  const kind = lossKind(model);
  if (!kind) return undefined;
  const alarmAt = Math.log(1 / model.verdicts.alpha);
  const pointer = await readBaselinePointer(deps.store, model.name);
  const version = pointer?.version ?? 0;
  // a window that opened before the current version's baseline holds the previous version's predictions:
  // its labels say nothing about the current version's error
  const ours = pointer === undefined || Date.parse(deps.windowStart) >= Date.parse(pointer.createdAt);
  for (let attempt = 1; ; attempt++) {
    const stored = await loadHarmState(deps.repository, model.name);
    let state = stored && stored.state.version === version ? stored.state : freshHarmState(version);
    if (state.tolerance === null) {
      const known = await knownTolerance(model, deps.registry, version);
      if (known) state = { ...state, tolerance: known };
    }
    let fed = ours ? deps.fed : 0;
    if (state.tolerance === null && fed > 0) {
      // burn-in: these labels set θ and are not bet on
      const burnIn = { n: state.burnIn.n + fed, errors: state.burnIn.errors + deps.loss.sum };
      fed = 0;
      const { tolerance, burnInLabels } = model.verdicts.harm;
      const upper =
        kind === 'error-rate'
          ? errorUpperBound(Math.round(burnIn.errors), burnIn.n, 0.05)
          : Math.min(1, burnIn.errors / burnIn.n + Math.sqrt(Math.log(1 / 0.05) / (2 * burnIn.n)));
      const done = burnIn.n >= burnInLabels;
      state = {
        ...state,
        burnIn,
        tolerance: done
          ? { theta: Math.min(0.99, upper + tolerance), source: `first ${burnIn.n} labelled predictions` }
          : null,
        // the burn-in is past data: the first bets may learn from it (θ does not depend on what is bet on)
        ...(done
          ? {
              error: {
                ...state.error,
                recent: [{ n: burnIn.n, sum: burnIn.errors, squares: burnIn.errors }],
              },
            }
          : {}),
      };
    }
    const theta = state.tolerance?.theta;
    if (theta !== undefined && ours) {
      const error = advanceErrorEvidence(
        state.error,
        { n: fed, sum: deps.loss.sum, squares: deps.loss.squares },
        theta,
        kind,
      ).state;
      // the estimate: one payoff per run, the estimated error against θ (valid only if the scores are calibrated)
      const estimated = deps.estimate ? 1 - deps.estimate.accuracy.value : undefined;
      const estimate =
        estimated === undefined || !Number.isFinite(estimated)
          ? state.estimate
          : advanceErrorEvidence(
              state.estimate,
              { n: 1, sum: estimated, squares: estimated ** 2 },
              theta,
              'bounded-loss',
            ).state;
      state = {
        ...state,
        error,
        estimate,
        confirmedSince: state.confirmedSince ?? (error.logWealth >= alarmAt ? deps.windowStart : null),
        estimatedSince: state.estimatedSince ?? (estimate.logWealth >= alarmAt ? deps.windowStart : null),
      };
    }
    const confirmedBefore = stored && stored.state.version === version ? stored.state.confirmedSince : null;
    const newlyConfirmed = state.confirmedSince !== null && confirmedBefore === null;
    if (ours) state = { ...state, measured: deps.measured };
    try {
      await deps.repository.save(
        model.name,
        HARM_STATE_NAME,
        JSON.stringify(state),
        stored?.itemVersion ?? 0,
        deps.now,
      );
    } catch (error) {
      if (error instanceof StaleStateError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    return {
      state,
      context: {
        estimatedLoss: state.estimatedSince !== null,
        confirmedLoss: state.measured || state.confirmedSince !== null,
        confirmedHarm: state.confirmedSince !== null,
      },
      evidence: errorEvidenceOf(state.error),
      estimateEvidence: errorEvidenceOf(state.estimate),
      newlyConfirmed,
    };
  }
};

/** `model_error_check` when the error e-process first alarms for this version: harm, confirmed by labels */
export const harmViolations = (harm: HarmOutcome | undefined, alpha: number) =>
  harm?.newlyConfirmed && harm.state.tolerance
    ? [
        {
          featureName: 'error',
          constraintCheckType: 'model_error_check' as const,
          description:
            `The model's error provably exceeds θ = ${harm.state.tolerance.theta.toFixed(4)} ` +
            `(${harm.state.tolerance.source} + tolerance): error evidence ${harm.evidence.toPrecision(3)} >= 1/α = ${1 / alpha}`,
          value: Math.min(harm.evidence, 1e100),
          threshold: 1 / alpha,
        },
      ]
    : [];

/** DynamoDB's document client takes numbers up to 2^53 in a record; beyond 1e15 the alarm line is long crossed */
const recordable = (x: number): number => Math.min(x, 1e15);

/** what the report and the run record keep of the harm evidence */
export const harmSummary = (harm: HarmOutcome | undefined) =>
  harm && {
    version: harm.state.version,
    tolerance: harm.state.tolerance,
    burnIn: harm.state.burnIn,
    evidence: recordable(harm.evidence),
    estimateEvidence: recordable(harm.estimateEvidence),
    confirmedSince: harm.state.confirmedSince,
    estimatedSince: harm.state.estimatedSince,
    labelled: harm.state.error.labelled,
  };
