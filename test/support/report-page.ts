import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderRunReport } from '../../functions/engine/report/html/render-run-report.ts';
import type { RunSummary } from '../../functions/engine/report/run-summary.ts';
import { collectPageErrors } from './chromium.ts';

export const OUT = resolve('out');

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
export interface PageGlobals {
  readonly document: {
    readonly body: PageElement;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
  };
  readonly echarts: { getInstanceByDom(el: PageElement): EChartsInstance | undefined };
  readonly pwned?: number;
}

export interface ChartState {
  id: string;
  hasInstance: boolean;
  seriesWithData: number;
  seriesCount: number;
  canvasWidth: number;
  paintedPixels: number;
}

/** What each chart container holds after drawing: its ECharts instance, series data and painted pixels. */
export const chartStates = (page: Page): Promise<ChartState[]> =>
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
export const openReport = async (
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
