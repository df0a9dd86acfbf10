/**
 * Start-up and cold start, measured on the package as a user installs it (scripts/packed-app.ts: npm pack, the
 * tarball installed into an empty app offline):
 *
 *   cli      `model-care --help` from the installed package, whole process, wall time; next to `node -e 0`,
 *            the floor no CLI can go under on the same machine at the same moment
 *   bundles  each prebundled Lambda handler (dist/lambda/<entry>/index.mjs): its size, and its module
 *            initialisation: the import of the bundle in a fresh Node process, with the environment the
 *            synthesized template gives the function (NODE_OPTIONS=--enable-source-maps included, as deployed)
 *
 * Medians of several runs: a shared machine adds noise only ever upwards, so the minimum is reported too.
 *
 *   npm run bench -- --only startup
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prebundledAssetDir } from '../lib/constructs/private/lambda-bundling.ts';
import { handlerEntries } from '../scripts/build.ts';
import { packAndInstall } from '../scripts/packed-app.ts';
import { lambdaEnvironments } from './lambda-environments.ts';

/** `model-care --help` target, wall time, installed package */
export const HELP_TARGET_MS = 250;
export const BUNDLE_TARGET_BYTES = 1024 * 1024;
export const INIT_TARGET_MS = 150;
const HELP_RUNS = 11;
const INIT_RUNS = 5;

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
}

export interface BundleFigures extends Timing {
  readonly entry: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  readonly initRssMb: number;
}

export interface StartupBenchResult {
  readonly help: Timing;
  readonly nodeFloor: Timing;
  readonly bundles: readonly BundleFigures[];
  readonly tarballBytes: number;
  readonly targets: { helpMs: number; bundleBytes: number; initMs: number };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const timing = (values: number[]): Timing => ({
  medianMs: Math.round(median(values) * 10) / 10,
  minMs: Math.round(Math.min(...values) * 10) / 10,
});

/** wall time of a whole process, spawn to exit */
const wallMs = (command: string, args: string[], cwd: string): number => {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
};

// imports the bundle and reports how long that took, from inside the fresh process
const INIT_PROBE = `const started = performance.now();
const bundle = await import(process.argv[2]);
const ms = performance.now() - started;
if (typeof bundle.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ ms, rss: process.memoryUsage().rss }));
`;

const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
};

const initOf = (bundle: string, probe: string, environment: Record<string, string>) => {
  const out = execFileSync(process.execPath, [probe, pathToFileURL(bundle).href], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...LAMBDA_ENVIRONMENT, ...environment },
  });
  return JSON.parse(out) as { ms: number; rss: number };
};

export const runStartupBench = async (log: (line: string) => void): Promise<StartupBenchResult> => {
  log('startup: npm pack and install into an empty app');
  const app = packAndInstall();
  const cli = join(app.dir, 'node_modules/.bin/model-care');

  log('startup: model-care --help');
  const help: number[] = [];
  const floor: number[] = [];
  // interleaved, so both see the same load
  for (let i = 0; i < HELP_RUNS; i++) {
    floor.push(wallMs(process.execPath, ['-e', '0'], app.dir));
    help.push(wallMs(process.execPath, [cli, '--help'], app.dir));
  }

  log('startup: bundle initialisation');
  const environments = lambdaEnvironments();
  const probe = join(app.dir, 'init-probe.mjs');
  writeFileSync(probe, INIT_PROBE);
  const bundles: BundleFigures[] = [];
  for (const entry of handlerEntries()) {
    const file = join(prebundledAssetDir(join(app.installed, 'dist'), entry), 'index.mjs');
    const runs = Array.from({ length: INIT_RUNS }, () => initOf(file, probe, environments.get(entry) ?? {}));
    bundles.push({
      entry,
      bytes: statSync(file).size,
      sourceMapBytes: statSync(`${file}.map`).size,
      ...timing(runs.map((r) => r.ms)),
      initRssMb: Math.round(median(runs.map((r) => r.rss)) / 1024 / 1024),
    });
  }
  return {
    help: timing(help),
    nodeFloor: timing(floor),
    bundles,
    tarballBytes: statSync(app.tarball).size,
    targets: { helpMs: HELP_TARGET_MS, bundleBytes: BUNDLE_TARGET_BYTES, initMs: INIT_TARGET_MS },
  };
};

const mark = (ok: boolean): string => (ok ? '' : '  OVER TARGET');

export const startupLines = (result: StartupBenchResult): string[] => [
  `model-care --help (installed package): ${result.help.medianMs} ms median, ${result.help.minMs} ms min ` +
    `(target < ${HELP_TARGET_MS} ms; node -e 0 alone: ${result.nodeFloor.medianMs} ms median, ` +
    `${result.nodeFloor.minMs} ms min)${mark(result.help.medianMs < HELP_TARGET_MS)}`,
  `package tarball: ${(result.tarballBytes / 1024 / 1024).toFixed(1)} MB`,
  '',
  'Lambda bundle                                    size KB   map KB   init ms (median / min)   RSS MB',
  ...result.bundles.map(
    (b) =>
      `${b.entry.replace(/^functions\//, '').padEnd(48)} ${String(Math.round(b.bytes / 1024)).padStart(7)} ` +
      `${String(Math.round(b.sourceMapBytes / 1024)).padStart(8)}   ${`${b.medianMs} / ${b.minMs}`.padStart(22)}` +
      `   ${String(b.initRssMb).padStart(6)}${mark(b.bytes < BUNDLE_TARGET_BYTES && b.medianMs < INIT_TARGET_MS)}`,
  ),
  `targets: every bundle < ${BUNDLE_TARGET_BYTES / 1024} KB, init < ${INIT_TARGET_MS} ms`,
];
