import type { DataEvidence, FeatureShift } from '../engine/report/data-evidence.ts';
import type { QualityEvidence } from '../engine/report/quality-evidence.ts';
import type { MonitoringCheckType, MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import type { Severity } from '../shared/config/vocabulary.ts';
import { shortForm } from './alert-message.ts';
import { likelyCause } from './likely-cause.ts';
import { runbookUrl } from './runbooks.ts';
import { asciiLine, gsmLength, SMS_MAX, shellQuote } from './text-safety.ts';

/** What the command that reproduces the verdict reads: the window's data, or the predictions and labels. */
export type ReproduceInputs =
  | { readonly job: 'data'; readonly current: string }
  | {
      readonly job: 'quality';
      readonly predictions: string;
      readonly labels: string;
      readonly problem: 'binary' | 'multiclass' | 'regression';
    };

/** Everything an alert that says what to do is made of; the router assembles it from the run's files. */
export interface AlertFacts {
  readonly model: string;
  readonly severity: Severity;
  readonly runId: string;
  readonly window: { readonly start: string; readonly end: string };
  /** worst first */
  readonly violations: readonly MonitoringViolation[];
  /** the baseline's s3:// prefix (statistics.json, constraints.json) and its registry version */
  readonly baseline: { readonly uri: string; readonly version?: number };
  readonly inputs: ReproduceInputs;
  readonly data?: DataEvidence;
  readonly quality?: QualityEvidence;
  readonly links: {
    /** the run's HTML page (console link or presigned URL) */
    readonly page: string;
    /** where docs/runbooks/ is served, e.g. https://github.com/<org>/model-care/blob/main/docs/runbooks */
    readonly runbooks: string;
  };
}

export interface ActionableAlert {
  readonly subject: string;
  /** the e-mail: every section */
  readonly text: string;
  /** one line, at most SMS_MAX GSM-7 characters, ending with the page link whenever it fits */
  readonly sms: string;
  readonly likelyCause: string;
  readonly runbooks: readonly { readonly check: MonitoringCheckType; readonly url: string }[];
  readonly command: string;
}

const EVIDENCE_FEATURES = 10;
const LISTED_VIOLATIONS = 20;

const figure = (value: number): string => String(Number(value.toPrecision(4)));
const percent = (share: number): string => `${figure(share * 100)}%`;

const featureLine = (f: FeatureShift): string => {
  const verdict = f.drifted ? 'DRIFTED' : 'ok';
  const score =
    f.score === null ? 'no score' : `${f.method} ${figure(f.score)} (threshold ${figure(f.threshold)})`;
  const missing =
    f.missing.current !== f.missing.baseline
      ? `; missing ${percent(f.missing.baseline)} -> ${percent(f.missing.current)}`
      : '';
  return `  - ${f.name} [${verdict}, ${f.direction}]: ${f.change}; ${score}${missing}`;
};

const dataLines = (data: DataEvidence): string[] => {
  const drifted = data.features.filter((f) => f.drifted).length;
  return [
    `  ${drifted} of ${data.features.length} features drifted (${percent(data.driftedShare)}; the dataset drifts from ${percent(data.driftShareThreshold)}); ${data.rowsCurrent} rows against ${data.rowsBaseline} in the baseline`,
    ...data.features.slice(0, EVIDENCE_FEATURES).map(featureLine),
    ...(data.features.length > EVIDENCE_FEATURES
      ? [`  ... ${data.features.length - EVIDENCE_FEATURES} more features on the page`]
      : []),
  ];
};

const qualityLines = (q: QualityEvidence): string[] => {
  const h = q.headline;
  const ci = h.interval ? ` (95% CI ${figure(h.interval.low)} to ${figure(h.interval.high)})` : '';
  const lines = [`  ${h.metric} ${figure(h.value)} on ${h.labelled} labelled predictions${ci}`];
  if (q.estimate) {
    lines.push(
      `  label-free estimate ${figure(q.estimate.value)} (95% CI ${figure(q.estimate.interval.low)} to ${figure(q.estimate.interval.high)})`,
    );
  }
  for (const s of q.segments) {
    lines.push(
      `  segment ${s.segment}: ${h.metric} ${figure(s.value)}, worse by ${figure(s.worseBy)}${s.labelled === undefined ? '' : ` on ${s.labelled} labels`}`,
    );
  }
  return lines;
};

/** `model-care check ...` or `model-care quality ...`, each argument quoted for a POSIX shell */
export const reproduceCommand = (facts: Pick<AlertFacts, 'baseline' | 'inputs'>): string => {
  const { inputs } = facts;
  const args =
    inputs.job === 'data'
      ? ['model-care', 'check', '--baseline', facts.baseline.uri, '--current', inputs.current]
      : [
          'model-care',
          'quality',
          '--predictions',
          inputs.predictions,
          '--labels',
          inputs.labels,
          '--problem',
          inputs.problem,
        ];
  return args.map(shellQuote).join(' ');
};

const MODEL_IN_SMS = 24;
const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;

/** the evidence in the fewest words: the top features and their shift, or the quality figure */
const smsSummary = (facts: AlertFacts): string => {
  const q = facts.quality;
  if (facts.inputs.job === 'quality' && q) {
    const ci = q.headline.interval
      ? ` [${figure(q.headline.interval.low)},${figure(q.headline.interval.high)}]`
      : '';
    return `${q.headline.metric} ${figure(q.headline.value)}${ci}`;
  }
  const drifted = facts.data?.features.filter((f) => f.drifted) ?? [];
  if (drifted.length > 0) {
    const top = drifted
      .slice(0, 2)
      .map(
        (f) =>
          `${f.name} ${f.direction}${Number.isFinite(f.size) && f.type === 'numerical' ? ` ${figure(f.size)}sd` : ''}`,
      );
    return `${top.join(', ')}${drifted.length > 2 ? ` +${drifted.length - 2}` : ''}`;
  }
  return facts.violations.slice(0, 2).map(shortForm).join('; ');
};

/**
 * One line for SMS: level, model, job, the evidence, the page link. Names are other people's text: control
 * characters and anything outside ASCII become `?` so the message stays in GSM-7 (one 160-character segment;
 * a single non-GSM character would switch it to UCS-2, 70 characters). The link is never cut: the summary and
 * then the model name give way; a link too long to fit at all is left out and the e-mail carries it.
 */
export const smsLine = (facts: AlertFacts): string => {
  const head = `${facts.severity.toUpperCase()} ${clip(asciiLine(facts.model), MODEL_IN_SMS)} ${facts.inputs.job}:`;
  const summary = asciiLine(smsSummary(facts));
  const link = facts.links.page;
  const linkFits = /^[\x21-\x7e]+$/.test(link) && gsmLength(`${head} x ${link}`) <= SMS_MAX;
  const tail = linkFits ? ` ${link}` : ' (link in e-mail)';
  const room = SMS_MAX - gsmLength(head) - gsmLength(tail) - 1;
  let body = summary;
  // GSM-7 counts some ASCII ({}[]\^~|) twice: shorten by characters until the septets fit
  for (let max = summary.length; gsmLength(body) > room && max > 0; max--) body = clip(summary, max - 1);
  if (gsmLength(body) > room) body = '';
  return `${`${head} ${body}`.trimEnd()}${tail}`;
};

/**
 * The alert a person can act on, from a run's violations, evidence and baseline: what was checked and against
 * which baseline, the evidence, the likely cause, a runbook per check, the command that reproduces the verdict,
 * and the page. Pure: the router reads the files and sends the result.
 */
export const buildActionableAlert = (facts: AlertFacts): ActionableAlert => {
  const checks = new Set(facts.violations.map((v) => v.constraintCheckType));
  const cause = likelyCause(checks, facts.data, facts.quality);
  const runbooks = [...checks].map((check) => ({ check, url: runbookUrl(facts.links.runbooks, check) }));
  const command = reproduceCommand(facts);
  const job = facts.inputs.job;
  const level = facts.severity.toUpperCase();
  const first = facts.violations[0];
  const subject = asciiLine(
    `[${level}] ${clip(facts.model, 80)}: ${first ? shortForm(first) : `${job} check`}${facts.violations.length > 1 ? ` (+${facts.violations.length - 1} more)` : ''}`,
  );
  const baselineText = `${facts.baseline.uri}${facts.baseline.version === undefined ? '' : ` (version ${facts.baseline.version})`}`;
  const listed = facts.violations.slice(0, LISTED_VIOLATIONS);
  const text = [
    `model-care ${level} alert: model ${JSON.stringify(facts.model)}, ${job} check, run ${facts.runId}`,
    '',
    'What was checked:',
    `  the window ${facts.window.start} to ${facts.window.end}`,
    `  against the baseline ${baselineText}`,
    '',
    `Violations (${facts.violations.length}, worst first):`,
    ...listed.map((v) => `  - ${v.featureName}, ${v.constraintCheckType}: ${v.description}`),
    ...(facts.violations.length > listed.length
      ? [`  ... and ${facts.violations.length - listed.length} more on the page`]
      : []),
    '',
    'Evidence:',
    ...(facts.data ? dataLines(facts.data) : []),
    ...(facts.quality ? qualityLines(facts.quality) : []),
    ...(!facts.data && !facts.quality ? ['  (no figures: see the violations)'] : []),
    '',
    `Likely cause: ${cause}.`,
    '',
    'What to do:',
    ...runbooks.map((r) => `  runbook for ${r.check}: ${r.url}`),
    `  reproduce the verdict: ${command}`,
    `  the run's page: ${facts.links.page}`,
  ].join('\n');
  return { subject, text, sms: smsLine(facts), likelyCause: cause, runbooks, command };
};
