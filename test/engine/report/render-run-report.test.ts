import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { renderRunReport } from '../../../functions/engine/report/html/render-run-report.ts';
import { RunReportError } from '../../../functions/engine/report/html/run-report-error.ts';
import type { RunSummary } from '../../../functions/engine/report/run-summary.ts';
import { embeddedCharts, loadSampleRun, markupOf } from './sample-run.ts';

const require = createRequire(import.meta.url);
const HOSTILE = '<script>alert(1)</script>';
const CLOSER = '</script><script>window.pwned=1</script>';

/** The sample run with markup in every free-text field a run can carry. */
const hostileRun = (): RunSummary => {
  const run = loadSampleRun();
  const distributions = run.distributions.map((d, i) => (i === 0 ? { ...d, name: `temp${HOSTILE}` } : d));
  const windows = run.windows.map((w) => {
    const { temp_max, ...rest } = w.features;
    return { ...w, features: { ...rest, [`temp${HOSTILE}`]: temp_max! } };
  });
  return {
    ...run,
    scenario: { ...run.scenario, dataset: `data${HOSTILE}` },
    distributions,
    windows,
    alerts: run.alerts.map((a) => ({ ...a, subject: `${a.subject} ${HOSTILE}`, check: `<b>${a.check}</b>` })),
    timeline: run.timeline.map((t) => ({ ...t, text: `${t.text} ${CLOSER}` })),
    retraining: run.retraining.map((r) => ({ ...r, detail: `<img src=x onerror=alert(1)> ${r.detail}` })),
    versions: run.versions.map((v) => ({ ...v, metrics: { ...v.metrics, '<i>x</i>': 1 } })),
  };
};

const scriptSrcs = (html: string): string[] => [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);

describe('renderRunReport', () => {
  test('escapes markup from feature names, alert subjects and every other free text', () => {
    const full = renderRunReport(hostileRun(), { title: `Run ${HOSTILE}` });
    // includes() on the whole page (ECharts too) so a failure does not print a megabyte
    expect(full.includes(HOSTILE)).toBe(false);
    expect(full.includes('<img src=x')).toBe(false);
    expect(full.includes('<b>value_range_check</b>')).toBe(false);
    expect(full.includes('<i>x</i>')).toBe(false);
    const html = markupOf(full);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<code>&lt;b&gt;baseline_drift_check&lt;/b&gt;</code>');
    // the only script elements are the data element, ECharts and the page's own script
    expect(scriptSrcs(html)).toEqual([
      '<script type="application/json" id="report-data">',
      '<script>',
      '<script>',
    ]);
  });

  test('keeps the embedded JSON intact when a value contains </script>', () => {
    const run = hostileRun();
    const html = renderRunReport(run);
    const charts = embeddedCharts(html);
    const titles = charts.map((c) => (c.option.title as { text: string }).text);
    expect(titles).toContain(`temp${HOSTILE}`);
    const driftSeries = charts.find((c) => c.id === 'drift-pvalue')!.option.series as { name: string }[];
    expect(driftSeries.map((s) => s.name)).toContain(`temp${HOSTILE}`);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
  });

  test('loads nothing from the network: no external script, link, stylesheet or url()', () => {
    const full = renderRunReport(loadSampleRun());
    const html = markupOf(full);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|source)\b[^>]*\b(src|data)\s*=/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    // ECharts itself is inlined, whole
    const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
    expect(full.includes(`<script>${echarts}</script>`)).toBe(true);
  });

  test('has a chart container, titled after its feature, for every feature', () => {
    const run = loadSampleRun();
    const html = markupOf(renderRunReport(run));
    const charts = embeddedCharts(html);
    run.distributions.forEach((d, i) => {
      expect(html).toContain(`data-chart="distribution-${i}"`);
      const spec = charts.find((c) => c.id === `distribution-${i}`);
      expect((spec!.option.title as { text: string }).text).toBe(d.name);
    });
  });

  test('has one container for each embedded chart, and each chart has a title and named axes', () => {
    const full = renderRunReport(loadSampleRun());
    const charts = embeddedCharts(full);
    const html = markupOf(full);
    const containers = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(containers).toEqual(charts.map((c) => c.id));
    expect(charts.map((c) => c.id)).toEqual([
      'distribution-0',
      'distribution-1',
      'distribution-2',
      'distribution-3',
      'drift-pvalue',
      'quality',
      'violations',
    ]);
    for (const { option } of charts) {
      expect((option.title as { text: string }).text.length).toBeGreaterThan(0);
      const xAxes = [option.xAxis].flat() as { name?: string }[];
      const yAxes = [option.yAxis].flat() as { name?: string }[];
      for (const axis of [...xAxes, ...yAxes]) expect(axis.name?.length).toBeGreaterThan(0);
    }
  });

  test('writes the timeline in hour order with the outcome in brief', () => {
    const html = markupOf(renderRunReport(loadSampleRun()));
    const outcome = /<p class="outcome">([\s\S]*?)<\/p>/.exec(html)![1]!;
    expect(outcome).toContain('drift injected at hour 12');
    expect(outcome).toContain('detected at hour 13 (1 h after injection)');
    expect(outcome).toContain('alerts: 1 critical, 2 warning, 1 info');
    expect(outcome).toContain('retraining at hour 14: promoted (v2)');
    expect(outcome).toContain('v2 serving from hour 15');
    expect(outcome).toContain('recovered at hour 17');
    const hours = [...html.matchAll(/<li class="event [^"]+"><span class="hour">hour (\d+)<\/span>/g)].map(
      (m) => Number(m[1]),
    );
    expect(hours).toEqual([0, 12, 12, 13, 13, 14, 15, 15, 17]);
  });

  test('lists alerts with their severity, and the versions and retraining tables', () => {
    const html = markupOf(renderRunReport(loadSampleRun()));
    expect(html).toContain('<span class="badge badge-critical">critical</span>');
    expect(html.match(/class="badge badge-warning"/g)).toHaveLength(2);
    expect(html).toContain('<caption>Model versions</caption>');
    expect(html).toContain('<td>v2</td><td>15</td><td><span class="badge badge-champion">champion</span>');
    expect(html).toContain('<caption>Retraining events</caption>');
    expect(html).toContain(
      '<td>14</td><td><span class="badge badge-promoted">promoted</span></td><td>v2</td>',
    );
  });

  test('says so in words, without an empty chart, when a run has no quality figures, alerts or retraining', () => {
    const run = loadSampleRun();
    const quiet: RunSummary = {
      ...run,
      scenario: { ...run.scenario, driftAt: null },
      windows: run.windows.map(({ quality: _q, estimatedAccuracy: _e, ...w }) => w),
      alerts: [],
      retraining: [],
      timeline: [],
    };
    const html = markupOf(renderRunReport(quiet));
    expect(embeddedCharts(html).map((c) => c.id)).not.toContain('quality');
    expect(html).not.toContain('data-chart="quality"');
    expect(html).toContain('No quality metric or estimate was recorded in this run.');
    expect(html).toContain('No alerts were raised.');
    expect(html).toContain('No retraining ran.');
    expect(html).toContain('<span>no drift injected</span>');
  });

  test('uses the given title', () => {
    const html = markupOf(renderRunReport(loadSampleRun(), { title: 'Nightly run' }));
    expect(html).toContain('<h1>Nightly run</h1>');
    expect(html).toContain('<title>Nightly run · seattle-weather (vega-datasets)</title>');
  });

  test('rejects a histogram whose counts do not match its labels', () => {
    const run = loadSampleRun();
    const broken: RunSummary = {
      ...run,
      distributions: [{ ...run.distributions[0]!, current: { labels: ['a', 'b', 'c', 'd'], counts: [1] } }],
    };
    expect(() => renderRunReport(broken)).toThrow(RunReportError);
    expect(() => renderRunReport(broken)).toThrow(
      /feature "temp_max": current histogram has 4 labels for 1 counts/,
    );
  });

  test('rejects a summary of another format version', () => {
    const run = { ...loadSampleRun(), formatVersion: 2 } as unknown as RunSummary;
    expect(() => renderRunReport(run)).toThrow(/unsupported RunSummary formatVersion 2/);
  });
});
