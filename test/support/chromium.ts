import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's chromium, which CI installs (`.ci/run`); CHROMIUM_PATH points elsewhere on other machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a quiet, offline, throwaway browser: no sandbox (containers run as root), no GPU, and none of
 * the background traffic (updates, sync, QUIC probes) that would make a test reach the network.
 * `--headless` is also what playwright passes for `headless: true`; listing it keeps the set explicit.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** closes the browser and deletes its profile directory */
  close(): Promise<void>;
}

/**
 * Launches headless chromium with a fresh profile in a temp directory. Fails with a clear message when the
 * binary is missing: a browser test that silently skipped would prove nothing in CI.
 */
export const launchChromium = async (): Promise<TestBrowser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium; CI does this in ` +
        '.ci/run) or set CHROMIUM_PATH to a Chromium/Chrome binary',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'model-care-chromium-'));
  // launchPersistentContext is how playwright takes --user-data-dir: it refuses that flag in args
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
};

/**
 * One browser per test file: launched in beforeAll, closed in afterAll. Read `.current` inside tests. A
 * launch failure (no chromium) is rethrown by `.current`, so every browser test fails with its message
 * rather than being reported as skipped.
 */
export const useChromium = (): { readonly current: TestBrowser } => {
  let browser: TestBrowser | undefined;
  let launchError: unknown;
  beforeAll(async () => {
    try {
      browser = await launchChromium();
    } catch (error) {
      launchError = error;
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get current() {
      if (launchError !== undefined) throw launchError;
      if (!browser) throw new Error('chromium is not running: use it inside a test or a hook');
      return browser;
    },
  };
};

/**
 * Records what a page reports as broken: console errors and uncaught exceptions, as text. Attach before
 * navigating so nothing from the first script is missed.
 */
export const collectPageErrors = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return errors;
};
