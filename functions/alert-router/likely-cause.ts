import type { DataEvidence } from '../engine/report/data-evidence.ts';
import type { QualityEvidence } from '../engine/report/quality-evidence.ts';
import type { MonitoringCheckType } from '../handler-kit/monitoring-violation.ts';

/** a shift this many baseline standard deviations or more is rarely the world changing: a unit or scale change */
const JUMP_SD = 3;
/** a rise of the missing share by this much points at a field no longer filled */
const MISSING_RISE = 0.2;
/** this share of the features drifting together points at a new source or population rather than one feature */
const MANY_SHARE = 0.5;

const SCHEMA_CHECKS: readonly MonitoringCheckType[] = [
  'missing_column_check',
  'extra_column_check',
  'data_type_check',
];

const names = (list: readonly string[]): string =>
  `${list.slice(0, 3).join(', ')}${list.length > 3 ? ` (+${list.length - 3})` : ''}`;

const fromData = (data: DataEvidence): string | undefined => {
  const emptied = data.features.filter((f) => f.missing.current - f.missing.baseline >= MISSING_RISE);
  if (emptied.length > 0) {
    return `${names(emptied.map((f) => f.name))} no longer filled as before (missing share up by at least ${MISSING_RISE * 100} points): a broken join, a renamed field or a failing source upstream`;
  }
  const drifted = data.features.filter((f) => f.drifted);
  if (drifted.length === 0) return undefined;
  if (drifted.length >= 3 && data.driftedShare >= MANY_SHARE) {
    return `${drifted.length} features moved at once: a new source or population (a new market, client or traffic mix) or a change in the feature pipeline`;
  }
  const jumped = drifted.filter((f) => f.type === 'numerical' && f.size >= JUMP_SD);
  if (jumped.length > 0) {
    return `${names(jumped.map((f) => f.name))} jumped by ${JUMP_SD} or more baseline standard deviations: usually a unit, scale or default-value change in how it is produced`;
  }
  const fresh = drifted.filter((f) => f.type === 'categorical' && f.change.includes('new: '));
  if (fresh.length > 0) {
    return `new values in ${names(fresh.map((f) => f.name))}: a new category upstream or a changed encoding`;
  }
  return `a shift of the population in ${names(drifted.map((f) => f.name))}: real change in the world is likely; confirm over several windows`;
};

const overlaps = (a: { low: number; high: number }, b: { low: number; high: number }): boolean =>
  a.low <= b.high && b.low <= a.high;

const fromQuality = (quality: QualityEvidence): string | undefined => {
  const parts: string[] = [];
  const { headline, estimate } = quality;
  if (estimate && headline.interval) {
    parts.push(
      overlaps(estimate.interval, headline.interval)
        ? 'the label-free estimate agrees with the labels: the inputs changed in a way the model handles badly'
        : 'the label-free estimate, which sees only the inputs, does not show this: the relation between inputs and labels changed (concept drift), or the labels are wrong',
    );
  }
  const worst = quality.segments[0];
  if (worst) parts.push(`concentrated in segment ${worst.segment}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
};

/**
 * The most likely cause of a run's violations, in one sentence, from its checks and its evidence. A guess stated
 * as one: the runbooks say how to confirm it. Order matters: a run without data or with an unreadable capture
 * explains every other figure of the run.
 */
export const likelyCause = (
  checks: ReadonlySet<MonitoringCheckType>,
  data: DataEvidence | undefined,
  quality: QualityEvidence | undefined,
): string => {
  if (checks.has('no_data_check')) {
    return 'no capture reached the store in the window: the endpoint got no traffic, or its data capture is off or writes elsewhere';
  }
  if (checks.has('capture_readability_check')) {
    return "the capture's record format no longer matches the model's config (features, outputs, content type)";
  }
  if (SCHEMA_CHECKS.some((c) => checks.has(c))) {
    return 'an upstream schema change: columns renamed, added, dropped or retyped';
  }
  const cause = (data && fromData(data)) ?? (quality && fromQuality(quality));
  if (cause) return cause;
  if (checks.has('completeness_check')) return 'values missing upstream: a failing source or join';
  if (checks.has('value_range_check') || checks.has('categorical_values_check')) {
    return 'values outside what the baseline saw: a new population or an upstream encoding change';
  }
  return 'not clear from the evidence alone: see the runbook of each check';
};
