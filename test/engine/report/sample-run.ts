import { readFileSync } from 'node:fs';
import type { ChartSpec } from '../../../functions/engine/report/html/chart-spec.ts';
import type { RunSummary } from '../../../functions/engine/report/run-summary.ts';

export const SAMPLE_RUN_PATH = 'test/fixtures/run-summary/sample-run.json';

/** A fresh copy of the hand-written 24-hour run, safe to modify in a test. */
export const loadSampleRun = (): RunSummary =>
  JSON.parse(readFileSync(SAMPLE_RUN_PATH, 'utf8')) as RunSummary;

/** The chart specs embedded in a rendered report, parsed back the way the page parses them. */
export const embeddedCharts = (html: string): ChartSpec[] => {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('report has no #report-data element');
  return (JSON.parse(match[1]!) as { charts: ChartSpec[] }).charts;
};

/**
 * The report without the code of its inline scripts (ECharts alone is 1 MB), keeping the JSON data element:
 * small enough to search and to print in a failed assertion.
 */
export const markupOf = (html: string): string =>
  html.replace(/<script>[\s\S]*?<\/script>/gi, '<script></script>');
