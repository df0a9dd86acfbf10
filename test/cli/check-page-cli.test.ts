import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { collectPageErrors, useChromium } from '../support/chromium.ts';
import { chartStates, type PageGlobals } from '../support/report-page.ts';
import { runCli, splitSeattleWeather, tempDir } from '../support/run-cli.ts';

const FIXTURES = 'test/fixtures/model-monitor';

/** opens a page file, recording errors and requests, once its charts say they are drawn */
const openPage = async (newPage: () => Promise<Page>, file: string) => {
  const page = await newPage();
  const errors = collectPageErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).document.body.dataset.chartsRendered !== undefined,
    null,
    { timeout: 20_000 },
  );
  const text = await page.evaluate(
    () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
  );
  return { page, errors, requests, text };
};

describe('model-care check --html and quality --html, in headless chromium', () => {
  const browser = useChromium();
  let dir: string;
  let years: Record<string, string>;
  let baseline: string;

  beforeAll(() => {
    dir = tempDir();
    years = splitSeattleWeather(dir);
    baseline = join(dir, 'baseline');
    expect(runCli(['baseline', '-i', years['2012']!, '-o', baseline, '--exclude', 'date', '-q']).code).toBe(
      0,
    );
  });

  test('writes a data check page with the evidence, a drawn distribution per feature and the violations', async () => {
    // Prepare
    const file = join(dir, 'check.html');
    // Act
    const result = runCli([
      'check',
      '-b',
      baseline,
      '-c',
      years['2015']!,
      '--exclude',
      'date',
      '--html',
      file,
      '--json',
      '-q',
    ]);
    // Assess
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const { page, errors, requests, text } = await openPage(() => browser.current.newPage(), file);
    try {
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      const states = await chartStates(page);
      expect(states.map((s) => s.id)).toEqual(
        report.features.map((_: unknown, i: number) => `distribution-${i}`),
      );
      for (const s of states) {
        expect(s, s.id).toMatchObject({ hasInstance: true, seriesCount: 2, seriesWithData: 2 });
        expect(s.paintedPixels, s.id).toBeGreaterThan(2_000);
      }
      expect(text).toMatch(/window\s+\S*seattle-2015\.csv/i);
      expect(text).toContain(baseline);
      for (const f of report.features) expect(text).toContain(f.name);
      expect(text).toContain(`${report.violations.length} violation(s)`);
      // the evidence of the drifted features: where the mean went, in baseline standard deviations
      const drifted = report.features.filter((f: { drifted: boolean }) => f.drifted);
      expect(drifted.length).toBeGreaterThan(0);
      expect(text).toMatch(/mean [\d.]+ -> [\d.]+ \([+-][\d.]+ sd\)/);
    } finally {
      await page.close();
    }
  });

  test('shows a hostile column name as text, never as markup', async () => {
    // Prepare
    const name = '<img src=x onerror="window.pwned=1">';
    const base = join(dir, 'hostile-base.csv');
    const window = join(dir, 'hostile-window.csv');
    const rows = (shift: number) =>
      Array.from({ length: 200 }, (_, i) => `${(i % 50) + shift},${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(base, `"${name.replace(/"/g, '""')}",kind\n${rows(0).join('\n')}\n`);
    writeFileSync(window, `"${name.replace(/"/g, '""')}",kind\n${rows(40).join('\n')}\n`);
    const hostileBaseline = join(dir, 'hostile-baseline');
    expect(runCli(['baseline', '-i', base, '-o', hostileBaseline, '-q']).code).toBe(0);
    const file = join(dir, 'hostile.html');
    // Act
    const result = runCli(['check', '-b', hostileBaseline, '-c', window, '--html', file, '-q']);
    // Assess
    expect(result.code).toBe(0);
    const { page, errors, text } = await openPage(() => browser.current.newPage(), file);
    try {
      expect(errors).toEqual([]);
      expect(text).toContain(name);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned)).toBeUndefined();
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelector('img')),
      ).toBeNull();
    } finally {
      await page.close();
    }
  });

  test('writes a quality page with the accuracy, its interval and every metric', async () => {
    // Prepare
    const file = join(dir, 'quality.html');
    // Act
    const result = runCli([
      'quality',
      '-p',
      `${FIXTURES}/monitor--capture.jsonl`,
      '-l',
      `${FIXTURES}/monitor--actuals.jsonl`,
      '--problem',
      'binary',
      '--json',
      '--html',
      file,
    ]);
    // Assess
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    const { page, errors, requests, text } = await openPage(() => browser.current.newPage(), file);
    try {
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(text).toMatch(/accuracy [\d.]+ on \d+ labelled predictions \(95% interval [\d.]+ to [\d.]+\)/);
      expect(text).toContain(`on ${output.rows} labelled predictions`);
      for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'aucRoc'])
        expect(text).toContain(metric);
    } finally {
      await page.close();
    }
  });

  test('rejects an --html path it cannot write, in one line with exit 2', () => {
    const result = runCli([
      'check',
      '-b',
      baseline,
      '-c',
      years['2015']!,
      '--exclude',
      'date',
      '--html',
      join(dir, 'no-such-dir', 'page.html'),
      '-q',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/page\.html: cannot write the page: its directory does not exist/);
  });
});
