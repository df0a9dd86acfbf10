import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunSummary } from '../../../functions/engine/report/run-summary.ts';
import { useChromium } from '../../support/chromium.ts';
import { chartStates, OUT, openReport, type PageGlobals } from '../../support/report-page.ts';
import { loadSampleRun } from './sample-run.ts';

describe('the run report in headless chromium', () => {
  const browser = useChromium();

  test('draws every chart with data, with no console or page error and no request off the file', async () => {
    const { page, errors, requests, rendered } = await openReport(
      () => browser.current.newPage(),
      loadSampleRun(),
      'test-report',
    );
    try {
      expect(errors).toEqual([]);
      const states = await chartStates(page);
      expect(states.map((s) => s.id)).toEqual([
        'distribution-0',
        'distribution-1',
        'distribution-2',
        'distribution-3',
        'drift-pvalue',
        'quality',
        'violations',
      ]);
      expect(rendered).toBe(String(states.length));
      for (const s of states) {
        expect(s, s.id).toMatchObject({ hasInstance: true, seriesWithData: s.seriesCount });
        expect(s.seriesCount, s.id).toBeGreaterThan(0);
        expect(s.canvasWidth, s.id).toBeGreaterThan(200);
        // a title alone paints a few hundred pixels; axes, bars and lines paint thousands
        expect(s.paintedPixels, s.id).toBeGreaterThan(5_000);
      }
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      await page.screenshot({ path: resolve(OUT, 'test-report.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('shows hostile names as text in the page and in chart tooltips, never as markup', async () => {
    const run = loadSampleRun();
    const name = '<img src=x onerror="window.pwned=1">';
    const hostile: RunSummary = {
      ...run,
      distributions: run.distributions.map((d, i) => (i === 0 ? { ...d, name } : d)),
      windows: run.windows.map((w) => ({ ...w, features: { [name]: w.features.temp_max!, ...w.features } })),
      alerts: run.alerts.map((a) => ({ ...a, subject: name })),
    };
    const { page, errors } = await openReport(
      () => browser.current.newPage(),
      hostile,
      'test-report-hostile',
    );
    try {
      // drift chart, first series: the hostile feature; its tooltip is HTML that ECharts builds
      await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const el = w.document.querySelector('[data-chart="drift-pvalue"]')!;
        w.echarts.getInstanceByDom(el)!.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 13 });
      });
      const tooltip = page.locator('[data-chart="drift-pvalue"] div').filter({ hasText: 'onerror' }).last();
      await expect.poll(() => tooltip.count()).toBeGreaterThan(0);
      expect(await tooltip.textContent()).toContain(name);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('td', { hasText: name }).count()).toBe(run.alerts.length);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
