import type { DatasetSummary } from '../baseline/feature-summary.ts';
import {
  advanceFeatureEvidence,
  type EvidenceStep,
  evidenceOf,
  restartDetector,
} from './feature-evidence.ts';
import { type FeatureReference, windowCells } from './feature-reference.ts';
import { eBenjaminiHochberg, familyWiseAlarms } from './many-features.ts';
import {
  mixtureFor,
  type SeasonalReference,
  SLOT_MIX_FEATURE,
  slotCount,
  slotMixReference,
} from './seasonal-reference.ts';
import type { VerdictSettings } from './verdict-settings.ts';
import { type FeatureVerdictState, freshFeatureVerdict } from './verdict-state.ts';

/**
 * The sequential verdict of one window across a dataset's features: each feature's evidence is advanced
 * (feature-evidence.ts) and the dataset is judged on all of them at once:
 * - test form: e-BH at FDR α on the current evidence (Wang & Ramdas), valid at any stopping time; the
 *   family-wise set (E >= m/α) is reported beside it. With all features unchanged, P(any alarm, ever) <= α.
 * - Shiryaev–Roberts form: a feature alarms when its detector reaches `arl`·m (mean time to any false alarm
 *   across the m features at least `arl` windows); the detector then restarts.
 */

export interface VerdictWindow {
  /** orders windows: ISO start time, or a zero-padded index; a window at or before the last fed is skipped */
  readonly key: string;
  readonly summary: DatasetSummary;
  /** rows per seasonal slot (seasonal references only) */
  readonly slotRows?: ReadonlyMap<number, number>;
  /** the seasonal cycle (day or week number) the window belongs to (seasonal references only) */
  readonly cycle?: number;
}

export interface VerdictReferences {
  /** names the reference: a state built against another is started afresh */
  readonly id: string;
  readonly features: readonly FeatureReference[];
  readonly seasonal?: SeasonalReference;
}

export interface FeatureVerdict {
  readonly name: string;
  readonly kind: 'numerical' | 'categorical';
  readonly status: EvidenceStep['status'] | 'repeat';
  readonly rows: number;
  /** current evidence: the wealth (test form) or the detector's statistic (Shiryaev–Roberts) */
  readonly evidence: number;
  /** in the e-BH set (test form) or over the detector's threshold (Shiryaev–Roberts) */
  readonly alarm: boolean;
  /** E >= m/α: family-wise, under any dependence */
  readonly familyWise: boolean;
  readonly alarmedSince: string | null;
  readonly witness: string | null;
  readonly windowGap: number | null;
  readonly bet: number;
  readonly effectiveRelevance: number;
}

export interface DatasetVerdict {
  /** ok: fed; no-data: the window had no rows, evidence unchanged; repeat: the window was fed before */
  readonly status: 'ok' | 'no-data' | 'repeat';
  readonly form: VerdictSettings['form'];
  readonly level: VerdictSettings['level'];
  readonly alpha: number;
  readonly relevance: number;
  /** 1/α: one feature's alarm line */
  readonly threshold: number;
  /** m/α (test form) or arl·m (Shiryaev–Roberts) */
  readonly familyWiseThreshold: number;
  readonly alarm: boolean;
  /** features alarming now that had not alarmed against this reference before */
  readonly newAlarms: string[];
  readonly features: FeatureVerdict[];
  /** the verdict in words */
  readonly summary: string;
}

export interface AdvanceResult {
  readonly states: Map<string, FeatureVerdictState>;
  readonly verdict: DatasetVerdict;
}

const cellsOf = (reference: FeatureReference): number => reference.probabilities.length;

const stateFor = (
  reference: FeatureReference,
  referenceId: string,
  stored: FeatureVerdictState | undefined,
  lanes: number,
): FeatureVerdictState =>
  stored &&
  stored.reference === referenceId &&
  stored.evidence.cells === cellsOf(reference) &&
  stored.evidence.lanes.length === lanes
    ? stored
    : freshFeatureVerdict(reference.name, referenceId, cellsOf(reference), lanes);

/** a window in one seasonal slot is judged in that slot's lane; one spanning several, and any without seasonality, in lane 0 */
const laneOf = (references: VerdictReferences, window: VerdictWindow): number => {
  if (!references.seasonal || !window.slotRows) return 0;
  const slots = [...window.slotRows.entries()].filter(([, rows]) => rows > 0);
  return slots.length === 1 ? slots[0]![0] : 0;
};

/** Advances every feature's evidence by one window and judges the dataset. Pure. */
export const advanceVerdicts = (
  references: VerdictReferences,
  window: VerdictWindow,
  stored: ReadonlyMap<string, FeatureVerdictState>,
  settings: VerdictSettings,
): AdvanceResult => {
  const states = new Map<string, FeatureVerdictState>();
  const steps = new Map<string, EvidenceStep | 'repeat'>();
  const currentByName = new Map(window.summary.features.map((f) => [f.name, f]));
  const judged = [...references.features];
  if (references.seasonal) judged.push(slotMixReference(references.seasonal, settings.referenceRisk));

  const lanes = references.seasonal ? slotCount(references.seasonal.seasonality) : 1;
  for (const reference of judged) {
    const isSlotMix = reference.name === SLOT_MIX_FEATURE;
    const state = stateFor(reference, references.id, stored.get(reference.name), isSlotMix ? 1 : lanes);
    if (state.lastWindow !== null && window.key <= state.lastWindow) {
      states.set(reference.name, state);
      steps.set(reference.name, 'repeat');
      continue;
    }
    if (isSlotMix) {
      const { next, step } = advanceSlotMix(state, reference, window, references.seasonal!, settings);
      states.set(reference.name, next);
      steps.set(reference.name, step);
      continue;
    }
    const { probabilities, margin } = mixtureFor(reference, references.seasonal, window.slotRows);
    const cells = windowCells(reference, currentByName.get(reference.name));
    const { state: evidence, step } = advanceFeatureEvidence(
      state.evidence,
      reference,
      probabilities,
      margin,
      cells,
      settings,
      laneOf(references, window),
    );
    states.set(reference.name, { ...state, evidence, lastWindow: window.key });
    steps.set(reference.name, step);
  }

  const m = judged.length;
  const evidence = judged.map((r) => evidenceOf(states.get(r.name)!.evidence, settings));
  const familyWiseThreshold = settings.form === 'test' ? m / settings.alpha : settings.arl * m;
  const alarms =
    settings.form === 'test'
      ? eBenjaminiHochberg(evidence, settings.alpha)
      : evidence.map((e) => e >= familyWiseThreshold);
  const familyWise = settings.form === 'test' ? familyWiseAlarms(evidence, settings.alpha) : alarms;
  const newAlarms: string[] = [];
  const features: FeatureVerdict[] = judged.map((reference, j) => {
    let state = states.get(reference.name)!;
    const step = steps.get(reference.name)!;
    const alarm = alarms[j]! && step !== 'repeat';
    if (alarm) {
      if (state.alarmedSince === null) newAlarms.push(reference.name);
      state = {
        ...state,
        alarmedSince: state.alarmedSince ?? window.key,
        ...(settings.form === 'shiryaev-roberts'
          ? { evidence: restartDetector(state.evidence), alarms: state.alarms + 1 }
          : {}),
      };
      states.set(reference.name, state);
    }
    const fed = step === 'repeat' ? undefined : step;
    return {
      name: reference.name,
      kind: reference.kind,
      status: step === 'repeat' ? 'repeat' : step.status,
      rows: fed?.rows ?? 0,
      evidence: evidence[j]!,
      alarm: alarms[j]! && step !== 'repeat',
      familyWise: familyWise[j]! && step !== 'repeat',
      alarmedSince: state.alarmedSince,
      witness: fed?.witness ?? null,
      windowGap: fed?.windowGap ?? null,
      bet: fed?.bet ?? 0,
      effectiveRelevance: fed?.effectiveRelevance ?? settings.relevance,
    };
  });

  const repeated = features.length > 0 && features.every((f) => f.status === 'repeat');
  const status = repeated ? 'repeat' : window.summary.rows === 0 ? 'no-data' : 'ok';
  const alarm = features.some((f) => f.alarm);
  return {
    states,
    verdict: {
      status,
      form: settings.form,
      level: settings.level,
      alpha: settings.alpha,
      relevance: settings.relevance,
      threshold: 1 / settings.alpha,
      familyWiseThreshold,
      alarm,
      newAlarms,
      features,
      summary: describeVerdict(status, features, settings, familyWiseThreshold),
    },
  };
};

const describeVerdict = (
  status: DatasetVerdict['status'],
  features: readonly FeatureVerdict[],
  settings: VerdictSettings,
  familyWiseThreshold: number,
): string => {
  if (status === 'repeat') return 'window already counted: evidence unchanged';
  if (status === 'no-data') return 'no rows in the window: evidence unchanged';
  const alarmed = features.filter((f) => f.alarm).map((f) => f.name);
  const m = features.length;
  if (settings.form === 'shiryaev-roberts') {
    return alarmed.length === 0
      ? `no change detected in ${m} feature(s) (Shiryaev–Roberts, alarm at ${familyWiseThreshold})`
      : `change detected in ${alarmed.length} of ${m} feature(s): ${alarmed.join(', ')} (Shiryaev–Roberts, alarm at ${familyWiseThreshold})`;
  }
  const familyWise = features.filter((f) => f.familyWise).length;
  return alarmed.length === 0
    ? `no feature has drift evidence beyond δ = ${settings.relevance} (e-BH at FDR ${settings.alpha} over ${m} feature(s))`
    : `${alarmed.length} of ${m} feature(s) carry drift evidence beyond δ = ${settings.relevance} (e-BH at FDR ${settings.alpha}): ${alarmed.join(', ')}; ${familyWise} family-wise (E >= ${familyWiseThreshold})`;
};

/**
 * The slot mix: a window's rows are added to its cycle's count per slot; when a window opens a new cycle, the
 * finished cycle is fed as one window of the categorical slot-mix reference.
 */
const advanceSlotMix = (
  state: FeatureVerdictState,
  reference: FeatureReference,
  window: VerdictWindow,
  seasonal: SeasonalReference,
  settings: VerdictSettings,
): { next: FeatureVerdictState; step: EvidenceStep } => {
  const slots = slotCount(seasonal.seasonality);
  const cycle = window.cycle ?? 0;
  const idle: EvidenceStep = {
    status: 'no-data',
    rows: 0,
    witness: null,
    windowGap: null,
    payoff: null,
    bet: 0,
    effectiveRelevance: settings.relevance + reference.margin,
  };
  let evidence = state.evidence;
  let step = idle;
  let current = state.cycle ?? { index: cycle, rows: new Array<number>(slots).fill(0) };
  if (current.index !== cycle) {
    const total = current.rows.reduce((a, b) => a + b, 0);
    const advanced = advanceFeatureEvidence(
      evidence,
      reference,
      reference.probabilities,
      reference.margin,
      { rows: total, counts: [...current.rows, 0] },
      settings,
    );
    evidence = advanced.state;
    step = advanced.step;
    current = { index: cycle, rows: new Array<number>(slots).fill(0) };
  }
  const rows = [...current.rows];
  for (const [slot, n] of window.slotRows ?? []) rows[slot] = (rows[slot] ?? 0) + n;
  return {
    next: { ...state, evidence, lastWindow: window.key, cycle: { index: current.index, rows } },
    step,
  };
};
