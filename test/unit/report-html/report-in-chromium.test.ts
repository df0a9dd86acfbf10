import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { renderRunReport } from '../../../functions/engine/report/html/render-run-report.ts';
import type { RunSummary } from '../../../functions/engine/report/run-summary.ts';
import { collectPageErrors, useChromium } from '../../support/chromium.ts';
import { loadSampleRun } from './sample-run.ts';

const OUT = resolve('out');

/**
 * The few browser globals the page-side callbacks touch, typed here because the project compiles without
 * the DOM lib. Callbacks cast `globalThis` to this; the casts vanish when playwright serialises them.
 */
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  querySelector(selector: 'canvas'): PageCanvas | null;
}
interface EChartsInstance {
  getOption(): { series: { data?: unknown[] }[] };
  dispatchAction(action: object): void;
}
interface PageGlobals {
  readonly document: {
    readonly body: PageElement;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
  };
  readonly echarts: { getInstanceByDom(el: PageElement): EChartsInstance | undefined };
  readonly pwned?: number;
}

interface ChartState {
  id: string;
  hasInstance: boolean;
  seriesWithData: number;
  seriesCount: number;
  canvasWidth: number;
  paintedPixels: number;
}

/** What each chart container holds after drawing: its ECharts instance, series data and painted pixels. */
const chartStates = (page: Page): Promise<ChartState[]> =>
  page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return [...w.document.querySelectorAll('[data-chart]')].map((el) => {
      const chart = w.echarts.getInstanceByDom(el);
      const series = chart?.getOption().series ?? [];
      const canvas = el.querySelector('canvas');
      let painted = 0;
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      }
      return {
        id: el.dataset.chart ?? '',
        hasInstance: chart !== undefined,
        seriesCount: series.length,
        seriesWithData: series.filter((s) => (s.data ?? []).some((d) => d !== null && d !== undefined))
          .length,
        canvasWidth: canvas?.width ?? 0,
        paintedPixels: painted,
      };
    });
  });

/**
 * Writes the report to out/<name>.html and opens it from file://, recording console errors, page errors and
 * every request the page makes; resolves once the page says its charts are drawn.
 */
const openReport = async (
  newPage: () => Promise<Page>,
  summary: RunSummary,
  name: string,
): Promise<{ page: Page; errors: string[]; requests: string[]; rendered: string }> => {
  mkdirSync(OUT, { recursive: true });
  const file = resolve(OUT, `${name}.html`);
  writeFileSync(file, renderRunReport(summary));
  const page = await newPage();
  const errors = collectPageErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  try {
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).document.body.dataset.chartsRendered !== undefined,
      null,
      { timeout: 20_000 },
    );
  } catch (cause) {
    throw new Error(`charts never finished drawing; page errors: ${JSON.stringify(errors)}`, { cause });
  }
  const rendered = await page.evaluate(
    () => (globalThis as unknown as PageGlobals).document.body.dataset.chartsRendered ?? '',
  );
  return { page, errors, requests, rendered };
};

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
