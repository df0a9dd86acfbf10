import { describe, expect, test } from 'vitest';
import { renderRunReport } from '../../../functions/engine/report/html/render-run-report.ts';
import type { RunSummary } from '../../../functions/engine/report/run-summary.ts';
import { useChromium } from '../../support/chromium.ts';
import { chartStates, openReport, type PageGlobals } from '../../support/report-page.ts';
import { embeddedCharts, loadSampleRun } from './sample-run.ts';

/** the sample run with sequential evidence: temp_max's grows from hour 8, the error's from hour 10 */
const withEvidence = (): RunSummary => {
  const run = loadSampleRun();
  return {
    ...run,
    verdicts: { alpha: 0.05, relevance: 0.03 },
    windows: run.windows.map((w) => ({
      ...w,
      evidence: { temp_max: w.hour < 8 ? 1 : 1.6 ** (w.hour - 7), wind: 0.9 },
      ...(w.hour >= 2 ? { errorEvidence: w.hour < 10 ? 0.8 : 2 ** (w.hour - 9) } : {}),
    })),
  };
};

describe('the evidence chart (issue 12)', () => {
  test('draws each feature’s evidence and the error’s on a log axis against the 1/α line', () => {
    const charts = embeddedCharts(renderRunReport(withEvidence()));
    const chart = charts.find((c) => c.id === 'evidence');
    expect(chart).toBeDefined();
    const option = chart!.option as {
      yAxis: { type: string };
      series: { name: string; data: [number, number][]; markLine?: { data: { yAxis?: number }[] } }[];
    };
    expect(option.yAxis.type).toBe('log');
    expect(option.series.map((s) => s.name)).toEqual(['temp_max', 'wind', 'model error']);
    expect(option.series[0]!.markLine!.data.some((d) => d.yAxis === 20)).toBe(true);
    // evidence beyond the axis is drawn at its edge, not dropped
    expect(Math.max(...option.series[0]!.data.map(([, y]) => y))).toBeLessThanOrEqual(1e12);
  });

  test('says so when a run recorded no evidence', () => {
    const html = renderRunReport(loadSampleRun());
    expect(embeddedCharts(html).some((c) => c.id === 'evidence')).toBe(false);
    expect(html).toContain('No sequential evidence was recorded in this run.');
  });

  describe('in headless chromium', () => {
    const browser = useChromium();

    test('paints the evidence chart with its alarm line and no error', async () => {
      const { page, errors } = await openReport(
        () => browser.current.newPage(),
        withEvidence(),
        'test-evidence',
      );
      try {
        expect(errors).toEqual([]);
        const state = (await chartStates(page)).find((s) => s.id === 'evidence');
        expect(state).toMatchObject({ hasInstance: true, seriesCount: 3, seriesWithData: 3 });
        expect(state!.paintedPixels).toBeGreaterThan(5_000);
        const alarm = await page.evaluate(() => {
          const w = globalThis as unknown as PageGlobals;
          const el = w.document.querySelector('[data-chart="evidence"]')!;
          const option = w.echarts.getInstanceByDom(el)!.getOption() as {
            series: { markLine?: { data?: { yAxis?: number }[] } }[];
          };
          return option.series[0]?.markLine?.data?.find((d) => d.yAxis !== undefined)?.yAxis;
        });
        expect(alarm).toBe(20);
      } finally {
        await page.close();
      }
    });
  });
});
