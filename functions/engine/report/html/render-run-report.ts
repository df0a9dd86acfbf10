import type { RunSummary } from '../run-summary.ts';
import { abEvidenceChart, abVariantsChart, renderAbTest } from './ab-test-charts.ts';
import type { ChartSpec } from './chart-spec.ts';
import { lastHour } from './chart-theme.ts';
import { distributionChart } from './distribution-charts.ts';
import { driftCharts } from './drift-charts.ts';
import { evidenceChart } from './evidence-chart.ts';
import { chartBox, note, renderPage, section } from './page-shell.ts';
import { qualityChart } from './quality-chart.ts';
import { renderHeader } from './run-header.ts';
import { runMarkers } from './run-markers.ts';
import { RunReportError } from './run-report-error.ts';
import { renderAlerts, renderRetraining, renderVersions } from './run-tables.ts';
import { violationsChart } from './violations-chart.ts';

export interface RunReportOptions {
  /** the page's title and heading; @default 'model-care run report' */
  readonly title?: string;
}

/**
 * `out/report.html`: one self-contained page for a run, readable offline. ECharts and the chart data are
 * inlined; every string from the summary reaches the page either escaped as HTML or inside the JSON data
 * element, which ECharts draws on canvas.
 */
export const renderRunReport = (summary: RunSummary, options: RunReportOptions = {}): string => {
  if (summary.formatVersion !== 1) {
    throw new RunReportError(
      `unsupported RunSummary formatVersion ${String(summary.formatVersion)} (expected 1)`,
    );
  }
  const title = options.title ?? 'model-care run report';
  const windows = [...summary.windows].sort((a, b) => a.hour - b.hour);
  const maxHour = lastHour(
    summary.scenario.hours,
    windows.map((w) => w.hour),
  );
  const markers = runMarkers(summary);
  const charts: ChartSpec[] = [];
  const add = (spec: ChartSpec): ChartSpec => {
    charts.push(spec);
    return spec;
  };

  const lastWindow = windows.at(-1);
  const distributions =
    summary.distributions.length === 0
      ? note('No feature distributions were recorded.')
      : `<div class="grid">${summary.distributions
          .map((f, i) =>
            chartBox(
              add(distributionChart(f, i)),
              `Distribution of ${f.name}: baseline vs last window`,
              true,
            ),
          )
          .join('')}</div>`;

  const drift = driftCharts(windows, markers, maxHour);
  const driftBody =
    drift.length === 0
      ? note('No window recorded a drift score.')
      : drift.map((c) => chartBox(add(c), 'drift score per feature over time')).join('');
  const evidence = evidenceChart(summary, windows, markers, maxHour);
  const evidenceBody =
    evidence === undefined
      ? note('No sequential evidence was recorded in this run.')
      : chartBox(add(evidence), 'sequential evidence per feature and for the error over time');
  const quality = qualityChart(windows, markers, maxHour);
  const qualityBody =
    quality === undefined
      ? note('No quality metric or estimate was recorded in this run.')
      : chartBox(add(quality), 'model quality metrics over time');
  const violationsBody =
    windows.length === 0
      ? note('No windows were checked.')
      : chartBox(add(violationsChart(windows, markers, maxHour)), 'constraint violations per window');

  const ab = summary.abTest;
  const abSection =
    ab === undefined
      ? []
      : [
          section(
            'ab-test',
            'Variants and the A/B test',
            'Each variant’s error rate and traffic, and the winner test’s evidence, hour by hour.',
            renderAbTest(ab) +
              chartBox(
                add(abVariantsChart(ab, markers, maxHour)),
                'error rate and traffic share per variant',
              ) +
              chartBox(add(abEvidenceChart(ab, markers, maxHour)), 'winner test evidence over time'),
          ),
        ];

  const body = [
    renderHeader(summary, title),
    ...abSection,
    section(
      'distributions',
      'Feature distributions',
      `Share of rows per bin or category: the training baseline against the last window` +
        `${lastWindow === undefined ? '' : ` (hour ${lastWindow.hour})`}.`,
      distributions,
    ),
    section(
      'drift',
      'Drift score per feature',
      'The deciding statistic of each feature’s drift check, window by window; dashed lines mark drift ' +
        'injection and detection, retraining and promotion.',
      driftBody,
    ),
    section(
      'evidence',
      'Evidence over time',
      'Each feature’s drift evidence and the model error’s, accumulated window by window: an alarm needs the ' +
        'evidence to reach 1/α, so looking every hour never adds false alarms, and shifts below δ never count.',
      evidenceBody,
    ),
    section(
      'quality',
      'Model quality',
      'Quality metrics arrive with the labels, so recent windows may have only the label-free estimate.',
      qualityBody,
    ),
    section(
      'violations',
      'Violations and alerts',
      'Constraint violations found in each window, and every alert the run raised.',
      violationsBody + renderAlerts(summary.alerts),
    ),
    section(
      'models',
      'Model versions and retraining',
      'Every version that served or was evaluated, and every retraining the run started.',
      renderVersions(summary.versions) + renderRetraining(summary.retraining),
    ),
  ].join('\n');

  return renderPage({
    title: `${title} · ${summary.scenario.dataset}`,
    body,
    charts,
    footer: `Generated by model-care from out/run.json (format ${summary.formatVersion}) · ${charts.length} charts drawn with Apache ECharts, inlined · works offline`,
  });
};
