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
import { existsSync, statSync, writeFileSync } from 'node:fs';
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
  /** wall time, spawn to exit (help) or around the import (bundles) */
  readonly medianMs: number;
  readonly minMs: number;
  /**
   * CPU time (user + system) over the same span, median: what the work costs, without the waiting a loaded
   * machine adds to the wall time
   */
  readonly cpuMedianMs?: number;
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

const round = (ms: number): number => Math.round(ms * 10) / 10;

const timing = (runs: readonly { ms: number; cpuMs?: number }[]): Timing => {
  const cpu = runs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  return {
    medianMs: round(median(runs.map((r) => r.ms))),
    minMs: round(Math.min(...runs.map((r) => r.ms))),
    ...(cpu.length > 0 ? { cpuMedianMs: round(median(cpu)) } : {}),
  };
};

/** GNU time reports the child's CPU time; without it only the wall time is measured */
const GNU_TIME = '/usr/bin/time';
const CPU_MARK = '__cpu_seconds';

/** a whole process, spawn to exit: wall time, and CPU time when GNU time is there to read it */
const processRun = (command: string, args: string[], cwd: string): { ms: number; cpuMs?: number } => {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', `${CPU_MARK} %U %S`, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(result.stderr);
  return cpu ? { ms, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : { ms };
};

// imports the bundle and reports how long that took, from inside the fresh process
const INIT_PROBE = `const started = performance.now();
const cpu = process.cpuUsage();
const bundle = await import(process.argv[2]);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
if (typeof bundle.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, rss: process.memoryUsage().rss }));
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
    // the SDK's warning about Node 20 goes to stderr on every import; Lambda runs Node 24
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...LAMBDA_ENVIRONMENT, ...environment },
  });
  return JSON.parse(out) as { ms: number; cpuMs: number; rss: number };
};

export const runStartupBench = async (log: (line: string) => void): Promise<StartupBenchResult> => {
  log('startup: npm pack and install into an empty app');
  const app = packAndInstall();
  const cli = join(app.dir, 'node_modules/.bin/model-care');

  log('startup: model-care --help');
  const help: { ms: number; cpuMs?: number }[] = [];
  const floor: { ms: number; cpuMs?: number }[] = [];
  // interleaved, so both see the same load
  for (let i = 0; i < HELP_RUNS; i++) {
    floor.push(processRun(process.execPath, ['-e', '0'], app.dir));
    help.push(processRun(process.execPath, [cli, '--help'], app.dir));
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
      ...timing(runs),
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

const cpuOf = (t: Timing): string => (t.cpuMedianMs === undefined ? '' : `, CPU ${t.cpuMedianMs} ms`);

export const startupLines = (result: StartupBenchResult): string[] => [
  `model-care --help (installed package): ${result.help.medianMs} ms median, ${result.help.minMs} ms min` +
    `${cpuOf(result.help)} (target < ${HELP_TARGET_MS} ms); node -e 0 alone: ${result.nodeFloor.medianMs} ms ` +
    `median, ${result.nodeFloor.minMs} ms min${cpuOf(result.nodeFloor)}${mark(result.help.medianMs < HELP_TARGET_MS)}`,
  `package tarball: ${(result.tarballBytes / 1024 / 1024).toFixed(1)} MB`,
  '',
  'Lambda bundle                                 size KB   map KB   init ms median / min   init CPU ms   RSS MB',
  ...result.bundles.map(
    (b) =>
      `${b.entry.replace(/^functions\//, '').padEnd(45)} ${String(Math.round(b.bytes / 1024)).padStart(7)} ` +
      `${String(Math.round(b.sourceMapBytes / 1024)).padStart(8)}   ${`${b.medianMs} / ${b.minMs}`.padStart(20)}` +
      `   ${String(b.cpuMedianMs ?? '').padStart(11)}   ${String(b.initRssMb).padStart(6)}` +
      mark(b.bytes < BUNDLE_TARGET_BYTES && b.medianMs < INIT_TARGET_MS),
  ),
  `targets: every bundle < ${BUNDLE_TARGET_BYTES / 1024} KB, init < ${INIT_TARGET_MS} ms (wall)`,
];
