import { DATASET_FEATURE, type MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import type { Severity } from '../shared/config/vocabulary.ts';
import { type AlertLinks, dashboardLink, s3ConsoleLink } from './alert-links.ts';
import { marginOf } from './severity-policy.ts';

export interface ClassifiedViolation extends MonitoringViolation {
  readonly severity: Severity;
}

export interface CheckStreak {
  readonly check: string;
  /** window start of the first run of the streak */
  readonly since: string;
  /** consecutive runs, this one included */
  readonly runs: number;
}

export interface AlertContent {
  readonly model: string;
  readonly job: 'data' | 'quality';
  readonly runId: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly severity: Severity;
  /** the violations of the checks that alert now, worst first */
  readonly violations: readonly ClassifiedViolation[];
  /** every violation of the run, counting those not in the event */
  readonly totalViolations: number;
  /** checks that are still violated but alerted within their cooldown */
  readonly quieted: readonly string[];
  readonly streaks: readonly CheckStreak[];
  readonly reportUri: string;
  readonly retrainingRequested: boolean;
  /** alerts.criticalFactor, to say how the severity was decided */
  readonly criticalFactor: number;
}

const LONG_LIST = 20;

/** four significant digits, without trailing zeros: 0.35, 0.1288, 1234 */
const figure = (value: number): string => String(Number(value.toPrecision(4)));

/** evidence grows exponentially: 3.2e+19 reads better than twenty digits */
const evidenceFigure = (value: number): string => (value >= 1e6 ? value.toExponential(1) : figure(value));

/** "temp_max drift 0.31 > 0.1" */
export const shortForm = (v: MonitoringViolation): string => {
  switch (v.constraintCheckType) {
    case 'no_data_check':
      return 'no capture data';
    case 'capture_readability_check':
      return 'unreadable capture, run failed';
    case 'baseline_drift_check':
      return v.value !== undefined && v.threshold !== undefined
        ? `${v.featureName} drift ${figure(v.value)}>${figure(v.threshold)}`
        : `${v.featureName} drift`;
    case 'concept_drift_check':
      return `concept drift (${v.featureName})`;
    case 'sequential_drift_check':
      return v.value !== undefined ? `drift evidence ${evidenceFigure(v.value)}` : 'drift evidence';
    case 'model_error_check':
      return v.value !== undefined && v.threshold !== undefined
        ? `error beyond its tolerance, evidence ${evidenceFigure(v.value)} (alarm at ${figure(v.threshold)})`
        : 'error beyond its tolerance';
    case 'model_quality_check':
      return v.value !== undefined && v.threshold !== undefined
        ? `${v.featureName} ${figure(v.value)} (limit ${figure(v.threshold)})`
        : `${v.featureName} out of bounds`;
    default:
      return v.value !== undefined && v.threshold !== undefined
        ? `${v.featureName} ${v.constraintCheckType.replace(/_check$/, '')} ${figure(v.value)} vs ${figure(v.threshold)}`
        : `${v.featureName} ${v.constraintCheckType.replace(/_check$/, '')}`;
  }
};

const headline = (content: AlertContent): string => {
  const worst = content.violations[0];
  if (!worst) return `${content.job} violations`;
  if (worst.constraintCheckType === 'no_data_check') return 'no capture data in the window';
  const drift = content.violations.filter((v) => v.constraintCheckType === 'baseline_drift_check');
  if (content.job === 'data' && drift.length > 0) {
    const dataset = drift.find((v) => v.featureName === DATASET_FEATURE);
    const names = drift.filter((v) => v !== dataset).map((v) => v.featureName);
    const listed = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` (+${names.length - 3} more)` : ''}`;
    if (dataset?.value !== undefined) {
      const share = `dataset drift, ${Math.round(dataset.value * 100)}% of features`;
      return names.length > 0 ? `${share}; ${listed} past the drift threshold` : share;
    }
    return `data drift in ${listed}`;
  }
  if (content.job === 'quality' && worst.constraintCheckType === 'model_quality_check') {
    return `model quality: ${shortForm(worst)}`;
  }
  return shortForm(worst);
};

/** `08:00Z` on the window's day, `2026-02-28T08:00Z` before it */
const shortTime = (iso: string, day: string): string =>
  iso.slice(0, 10) === day.slice(0, 10) ? `${iso.slice(11, 16)}Z` : `${iso.slice(0, 16)}Z`;

const streakText = (streak: CheckStreak): string =>
  streak.runs > 1
    ? `${streak.check}: violated in ${streak.runs} consecutive runs, since the window starting ${streak.since}`
    : `${streak.check}: new in this window`;

const whatToDo = (content: AlertContent): string[] => {
  const checks = new Set(content.violations.map((v) => v.constraintCheckType));
  const lines: string[] = [];
  if (checks.has('no_data_check')) {
    lines.push(
      '- No data: check that the model receives traffic and that its capture reaches the bucket (capture/ prefix).',
    );
  }
  if (checks.has('capture_readability_check')) {
    lines.push(
      "- Unreadable capture: most of the window's capture could not be read, so none of it was quarantined and " +
        "the run failed. The alert names the likely cause; fix the model's config (features, outputs) or the " +
        'producer, then run the window again.',
    );
  }
  if (checks.has('baseline_drift_check')) {
    lines.push(
      '- Drift: compare the drifted features with the baseline in report.json. A lasting, real shift calls for ' +
        'retraining on recent data; a sudden one often is an upstream pipeline change (units, encodings, defaults).',
    );
  }
  if (
    checks.has('completeness_check') ||
    checks.has('data_type_check') ||
    checks.has('missing_column_check')
  ) {
    lines.push(
      '- Data quality: missing values, wrong types or missing columns usually come from the feature pipeline.',
    );
  }
  if (checks.has('model_quality_check') || checks.has('concept_drift_check')) {
    lines.push(
      '- Model quality: the model is less accurate on labelled traffic. Check recent labels for errors, then retrain ' +
        'or roll back to the previous champion.',
    );
  }
  if (checks.has('fairness_check'))
    lines.push('- Fairness: the gap between segments grew; review per-segment metrics in the report.');
  if (lines.length === 0) lines.push('- See the report for each violated constraint and its threshold.');
  return lines;
};

/** the three renderings of an alert: email subject, email body (long), SMS (one line) */
export const renderAlert = (
  content: AlertContent,
  links: AlertLinks,
): { subject: string; longText: string; shortText: string } => {
  const level = content.severity.toUpperCase();
  const subject = `[${level}] ${content.model}: ${headline(content)}`;
  const reportLink = s3ConsoleLink(content.reportUri, links.region);
  const reportJson = content.reportUri.replace(/constraint_violations\.json$/, 'report.json');
  const listed = content.violations.slice(0, LONG_LIST);
  const long = [
    `model-care ${level} alert for model "${content.model}" (${content.job} check)`,
    '',
    `Window:  ${content.window.start} to ${content.window.end}`,
    `Run:     ${content.runId}`,
    '',
    `What is wrong (${content.violations.length} alerting violation(s) of ${content.totalViolations} in the run, worst first):`,
    ...listed.map((v) => {
      const margin = marginOf(v);
      const by =
        margin !== undefined && Number.isFinite(margin)
          ? ` (margin ${figure(margin)}x; critical from ${figure(content.criticalFactor)}x)`
          : '';
      return `  [${v.severity}] ${v.featureName}, ${v.constraintCheckType}: ${v.description}${by}`;
    }),
    ...(content.violations.length > listed.length
      ? [`  ... and ${content.violations.length - listed.length} more in the report`]
      : []),
    '',
    'Since when:',
    ...content.streaks.map((s) => `  ${streakText(s)}`),
    ...(content.quieted.length > 0
      ? ['', `Still violated, alerted recently (in cooldown, not repeated): ${content.quieted.join(', ')}`]
      : []),
    '',
    `Violations: ${content.reportUri}`,
    ...(reportLink ? [`            ${reportLink}`] : []),
    `Report:     ${reportJson}`,
    `Dashboard:  ${dashboardLink(links)}`,
    '',
    'What to do:',
    ...whatToDo(content),
    ...(content.retrainingRequested
      ? [
          '',
          'Retraining was requested for this model (retraining.startOnCritical); its outcome is notified separately.',
        ]
      : []),
  ].join('\n');
  const oldest = content.streaks.reduce<string | undefined>(
    (min, s) => (min === undefined || s.since < min ? s.since : min),
    undefined,
  );
  const parts = content.violations.slice(0, 2).map(shortForm);
  const more = content.violations.length > 2 ? ` +${content.violations.length - 2}` : '';
  const since =
    oldest && oldest < content.window.start ? ` since ${shortTime(oldest, content.window.start)}` : '';
  const shortText = `${level} ${content.model} ${content.job}: ${parts.join('; ')}${more}${since}`;
  return { subject, longText: long, shortText };
};
