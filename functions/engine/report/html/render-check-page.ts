import type { QualityEvaluation } from '../../quality/evaluate-quality.ts';
import type { DataEvidence, FeatureShift } from '../data-evidence.ts';
import type { DriftReport } from '../drift-report.ts';
import type { QualityEvidence } from '../quality-evidence.ts';
import type { FeatureDistributions } from '../run-summary.ts';
import type { ChartSpec } from './chart-spec.ts';
import { distributionChart } from './distribution-charts.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatNumber } from './format.ts';
import { chartBox, note, renderPage, section } from './page-shell.ts';
import { badge, table } from './run-tables.ts';

/** What one check looked at: shown at the top of its page. */
export interface CheckedInputs {
  /** the baseline's location (a directory or an s3:// prefix); none for a quality run */
  readonly baseline?: string;
  /** the window's location, or the predictions' */
  readonly current: string;
  /** the labels' location, for a quality run */
  readonly labels?: string;
  /** ISO-8601: when the page was made */
  readonly generatedAt: string;
}

export type CheckPageInput =
  | {
      readonly kind: 'data';
      readonly inputs: CheckedInputs;
      readonly report: DriftReport;
      readonly evidence: DataEvidence;
      readonly distributions: readonly FeatureDistributions[];
    }
  | {
      readonly kind: 'quality';
      readonly inputs: CheckedInputs;
      readonly evaluation: QualityEvaluation;
      readonly evidence?: QualityEvidence;
      /** violations the run found against its constraints, when it had some */
      readonly violations?: readonly { readonly metric: string; readonly description: string }[];
    };

const MAX_LISTED = 200;

const percent = (share: number): string => `${formatNumber(Math.round(share * 1000) / 10)}%`;

const header = (title: string, input: CheckPageInput, verdict: string, verdictKind: string): string => {
  const rows: [string, string | undefined][] = [
    ['baseline', input.inputs.baseline],
    [input.kind === 'data' ? 'window' : 'predictions', input.inputs.current],
    ['labels', input.inputs.labels],
    ['generated', input.inputs.generatedAt],
  ];
  return `<header class="card"><h1>${e(title)}</h1><p>${badge(verdictKind, verdict)}</p><dl class="scenario">${rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<dt>${e(k)}</dt><dd><code>${e(v)}</code></dd>`)
    .join('')}</dl></header>`;
};

const featureRow = (f: FeatureShift): string[] => [
  `<code>${e(f.name)}</code>`,
  f.drifted ? badge('critical', 'drifted') : badge('info', f.status),
  e(f.direction),
  e(f.change),
  e(`${f.method} ${formatNumber(f.score)} (threshold ${formatNumber(f.threshold)})`),
  e(`${percent(f.missing.baseline)} -> ${percent(f.missing.current)}`),
];

const dataPage = (input: Extract<CheckPageInput, { kind: 'data' }>, charts: ChartSpec[]): string => {
  const { report, evidence } = input;
  const drifted = evidence.features.filter((f) => f.drifted).length;
  const violations = report.violations;
  const verdict =
    report.dataset.drifted || violations.length > 0
      ? `${report.dataset.drifted ? 'dataset drifted' : 'no dataset drift'}; ${violations.length} violation(s)`
      : 'no drift, no violation';
  const distributions =
    input.distributions.length === 0
      ? note('The baseline holds no distribution to compare with.')
      : `<div class="grid">${input.distributions
          .map((f, i) => {
            const spec = distributionChart(f, i);
            charts.push(spec);
            return chartBox(spec, `Distribution of ${f.name}: baseline vs window`, true);
          })
          .join('')}</div>`;
  const skipped = [...report.malformedSamples, ...report.unreadableSamples];
  return [
    header(
      'model-care data check',
      input,
      verdict,
      report.dataset.drifted || violations.length > 0 ? 'critical' : 'info',
    ),
    section(
      'evidence',
      'What changed',
      `${drifted} of ${evidence.features.length} features drifted (${percent(evidence.driftedShare)}; the dataset ` +
        `drifts from ${percent(evidence.driftShareThreshold)}), ${evidence.rowsCurrent} rows against ` +
        `${evidence.rowsBaseline} in the baseline. Drifted features first, then the largest changes.`,
      table(
        'Features',
        ['feature', 'verdict', 'direction', 'change', 'score', 'missing'],
        evidence.features.slice(0, MAX_LISTED),
        featureRow,
        'No feature was compared.',
      ),
    ),
    section(
      'distributions',
      'Feature distributions',
      'Share of rows per bin or category: the baseline against the window, on the baseline’s own bins.',
      distributions,
    ),
    section(
      'violations',
      'Violations',
      'Every constraint the window broke, as written to constraint_violations.json.',
      table(
        'Violations',
        ['feature', 'check', 'description'],
        violations.slice(0, MAX_LISTED),
        (v) => [
          `<code>${e(v.feature_name)}</code>`,
          `<code>${e(v.constraint_check_type)}</code>`,
          e(v.description),
        ],
        'No constraint was violated.',
      ),
    ),
    section(
      'skipped',
      'Skipped input',
      `${report.dataset.malformedRecords} malformed record(s), ${report.dataset.malformedValues} malformed value(s), ` +
        `${report.dataset.unreadableFiles} unreadable file(s): counted, listed, left out.`,
      skipped.length === 0
        ? note('Nothing was skipped.')
        : `<ul>${skipped
            .slice(0, MAX_LISTED)
            .map((s) => `<li><code>${e(s)}</code></li>`)
            .join('')}</ul>`,
    ),
  ].join('\n');
};

const metricRows = (metrics: object): [string, number][] =>
  Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number');

const qualityPage = (input: Extract<CheckPageInput, { kind: 'quality' }>): string => {
  const { evaluation, evidence } = input;
  const violations = input.violations ?? [];
  const h = evidence?.headline;
  const figure = h
    ? `${h.metric} ${formatNumber(h.value)} on ${h.labelled} labelled predictions${
        h.interval
          ? ` (95% interval ${formatNumber(h.interval.low)} to ${formatNumber(h.interval.high)})`
          : ''
      }${
        evidence?.estimate
          ? `; label-free estimate ${formatNumber(evidence.estimate.value)} (95% interval ${formatNumber(
              evidence.estimate.interval.low,
            )} to ${formatNumber(evidence.estimate.interval.high)})`
          : ''
      }.`
    : `${evaluation.rows} labelled predictions.`;
  return [
    header(
      'model-care quality check',
      input,
      violations.length > 0 ? `${violations.length} violation(s)` : `${evaluation.problem} quality`,
      violations.length > 0 ? 'critical' : 'info',
    ),
    section(
      'quality',
      'Model quality',
      `${figure} Unmatched: ${evaluation.unmatched.predictions} predictions, ${evaluation.unmatched.labels} labels; ` +
        `${evaluation.invalid} invalid, ${evaluation.duplicateIds} duplicate ids.`,
      table(
        'Metrics',
        ['metric', 'value'],
        metricRows(evaluation.metrics),
        ([k, v]) => [`<code>${e(k)}</code>`, e(formatNumber(v))],
        'No metric could be computed.',
      ),
    ),
    section(
      'segments',
      'Segments',
      evidence && evidence.segments.length > 0
        ? `Segments worse than the model as a whole on ${evidence.headline.metric}, worst first.`
        : 'Per-segment figures (computed with --segment).',
      evidence && evidence.segments.length > 0
        ? table(
            'Worse segments',
            ['segment', evidence.headline.metric, 'worse by', 'labels'],
            evidence.segments,
            (s) => [
              `<code>${e(s.segment)}</code>`,
              e(formatNumber(s.value)),
              e(formatNumber(s.worseBy)),
              e(s.labelled === undefined ? '–' : String(s.labelled)),
            ],
            'No segment is worse than the whole.',
          )
        : note(evaluation.segments ? 'No segment is worse than the whole.' : 'No segments were computed.'),
    ),
    section(
      'violations',
      'Violations',
      'Quality constraints the run broke.',
      table(
        'Violations',
        ['metric', 'description'],
        violations,
        (v) => [`<code>${e(v.metric)}</code>`, e(v.description)],
        'No constraint was checked or none was violated.',
      ),
    ),
  ].join('\n');
};

/**
 * The page of one check, data or quality: self-contained HTML from the same parts as the local run report
 * (styles, ECharts, distribution charts, tables). `model-care check --html` and `quality --html` write it; a
 * deployed run writes it next to its JSON.
 */
export const renderCheckPage = (input: CheckPageInput): string => {
  const charts: ChartSpec[] = [];
  const body = input.kind === 'data' ? dataPage(input, charts) : qualityPage(input);
  return renderPage({
    title: `model-care ${input.kind} check · ${input.inputs.current}`,
    body,
    charts,
    footer: `Generated by model-care at ${input.inputs.generatedAt} · ${charts.length} charts drawn with Apache ECharts, inlined · works offline`,
  });
};
