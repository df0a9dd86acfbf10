/**
 * `npm run bench`: the engine against the floor and the peer, on the same bytes, in one run.
 *
 *   floor          read + line split + JSON.parse, nothing else (bench/worker.ts), one thread
 *   engine         the data job as the Lambda runs it: load the baseline, profile the window, drift and
 *                  data-quality checks (bench/worker.ts, bundled with esbuild as the Lambda is)
 *   check          `model-care check --json` launched as `npx model-care` launches it today (bin/model-care-cli.js)
 *   check bundled  the same command from an esbuild bundle of bin/cli.ts, which is what users run once the
 *                  package ships compiled JavaScript (the bundle is the bench's own, in bench/data/)
 *   engine×2       the data job fanned out over 2 worker threads by byte range, parts merged (plain files)
 *   peer           pandas read_json(lines=True) + payload split + scipy ks_2samp / chi2_contingency (bench/peer.py)
 *
 * Every measurement is a whole process, timed from spawn to exit: start-up, imports, loading the baseline and
 * the JIT's warm-up are part of what users wait for. GNU time reports each child's CPU time (all threads) and
 * peak RSS alike for node and python. Best of a few interleaved rounds, since a shared machine adds noise only
 * ever upwards; CPU time is given beside wall time as the steadier figure when other work shares the cores.
 * Writes bench/results.json, with a CPU profile of the bundled check (bench/profile-summary.ts).
 *
 * Then model quality (bench/quality-bench.ts): `model-care quality` against pandas merge + scikit-learn on
 * windows of 100k, 1M and 8M labelled binary predictions, whole processes, with the figures compared.
 *
 *   npm run bench                  100k, 1M and 10M records (10M plain only); quality at 100k, 1M, 8M (long)
 *   npm run bench -- --quick       100k only; ends with `ratio_vs_floor=.. ratio_vs_peer=.. peak_rss_mb=..`
 *   npm run bench -- --sizes 1m,5m chosen sizes (quality: those of 100k, 1m, 8m among them)
 *   npm run bench -- --only quality --quality-sizes 1m,8m   the quality part alone
 *   npm run bench -- --only engine --sizes 100k,1m           the capture check alone
 *   npm run bench -- --dispatch    the fleet dispatch section only (bench/dispatch.ts; writes bench/dispatch-results.json)
 *   npm run bench -- --only startup   `model-care --help` and the Lambda bundles (bench/startup-bench.ts);
 *                                     a full run (not --quick) ends with it too
 *
 * Every full run ends with the dispatch section (1,000 models, a day of dispatcher ticks).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runDispatchBench } from './dispatch.ts';
import { type CaptureFiles, DATA_DIR, DEFAULT_SIZES, ensureData } from './generate.ts';
import { selfTimes } from './profile-summary.ts';
import {
  type QualityBenchResult,
  qualityProfileLines,
  qualityTable,
  runQualityBench,
} from './quality-bench.ts';
import { QUALITY_SIZES } from './quality-data.ts';
import { runStartupBench, startupLines } from './startup-bench.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const WORKER = join(DATA_DIR, 'worker.mjs');
const CLI_BUNDLE = join(DATA_DIR, 'cli.mjs');
const CLI_LAUNCHER = join(ROOT, 'bin', 'model-care-cli.js');
const PYTHON = '/usr/bin/python3';
const GNU_TIME = '/usr/bin/time';
const MB = 1024 * 1024;
/** drift of two profiles this wide must take less than DRIFT_TARGET_MS */
const DRIFT_FEATURES = 100;
const DRIFT_TARGET_MS = 50;
/** the peer holds whole columns in memory: past this it needs gigabytes and many minutes, and says nothing new */
const PEER_UP_TO = 5_000_000;
/** the launcher's TypeScript loader costs the same at any size: past this it only lengthens the run */
const LAUNCHER_UP_TO = 1_000_000;
/** self-time entries of the profile kept in results.json and printed */
const PROFILE_TOP = 15;

type Measure = 'floor' | 'engine' | 'check' | 'check bundled' | 'engine×2' | 'peer';

interface Child {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  records: number;
  detail: Record<string, unknown>;
}

export interface Measurement {
  size: string;
  input: 'plain' | 'gzip';
  measure: Measure;
  threads: number;
  records: number;
  /** the uncompressed JSON Lines bytes the window holds */
  bytes: number;
  /** best wall time of `runs`, spawn to exit */
  wallMs: number;
  runs: number[];
  /** CPU time (user + system, all threads) of the run with the best wall time */
  cpuMs: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  /** the largest peak RSS over the runs */
  peakRssMb: number;
  /** the floor's wall time / this one's, on the same file */
  vsFloor?: number;
  /** the floor's CPU time / this one's */
  vsFloorCpu?: number;
  /** the peer's wall time / this one's on the same file */
  peerOverThis?: number;
  detail: Record<string, unknown>;
}

const lastJsonLine = (text: string): Record<string, unknown> =>
  JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;

/** the records a child read, from what it prints: a worker's or the peer's JSON line, or check's report */
const recordsOf = (
  measure: Measure,
  stdout: string,
): { records: number; detail: Record<string, unknown> } => {
  if (measure === 'check' || measure === 'check bundled') {
    const report = JSON.parse(stdout) as {
      dataset: { rowsCurrent: number; malformedRecords: number; drifted: boolean };
      features: Array<{ name: string; drifted: boolean }>;
      violations: unknown[];
    };
    return {
      records: report.dataset.rowsCurrent,
      detail: {
        malformed: report.dataset.malformedRecords,
        drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
        violations: report.violations.length,
      },
    };
  }
  const line = lastJsonLine(stdout);
  const { records, elapsedMs, peakRssBytes, cpuMs, mode, ...detail } = line;
  return { records: Number(records), detail: { ...detail, workMs: elapsedMs } };
};

/** Runs one whole process under GNU time: wall from spawn to exit, CPU time and peak RSS from time. */
const runChild = (measure: Measure, command: string, args: readonly string[], scratch: string): Child => {
  const usage = join(scratch, 'usage');
  const started = performance.now();
  const child = spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', usage, command, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(`${measure}: ${command} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  }
  const [user, system, rssKb] = readFileSync(usage, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    wallMs,
    cpuMs: (user! + system!) * 1000,
    peakRssBytes: rssKb! * 1024,
    ...recordsOf(measure, child.stdout),
  };
};

const commandFor = (
  measure: Measure,
  file: string,
  data: { baselineDir: string; training: string },
): [string, string[]] => {
  const check = ['check', '--baseline', data.baselineDir, '--current', file, '--json'];
  switch (measure) {
    case 'floor':
      return [process.execPath, [WORKER, 'floor', file]];
    case 'engine':
      return [process.execPath, [WORKER, 'engine', file, data.baselineDir]];
    case 'check':
      return [process.execPath, [CLI_LAUNCHER, ...check]];
    case 'check bundled':
      return [process.execPath, [CLI_BUNDLE, ...check]];
    case 'engine×2':
      return [process.execPath, [WORKER, 'parallel', file, data.baselineDir, '2']];
    case 'peer':
      return [PYTHON, [join(BENCH_DIR, 'peer.py'), file, data.training]];
  }
};

const summarize = (
  measure: Measure,
  capture: CaptureFiles,
  input: 'plain' | 'gzip',
  children: Child[],
  log: (line: string) => void,
): Measurement => {
  const best = children.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const bytes = statSync(capture.plain).size;
  if (best.records !== capture.records)
    throw new Error(`${measure} read ${best.records} of ${capture.records} records`);
  const seconds = best.wallMs / 1000;
  const m: Measurement = {
    size: capture.size,
    input,
    measure,
    threads: measure === 'engine×2' ? 2 : 1,
    records: best.records,
    bytes,
    wallMs: best.wallMs,
    runs: children.map((c) => Math.round(c.wallMs)),
    cpuMs: best.cpuMs,
    recordsPerSecond: best.records / seconds,
    mbPerSecond: bytes / MB / seconds,
    peakRssMb: Math.max(...children.map((c) => c.peakRssBytes)) / MB,
    detail: best.detail,
  };
  log(
    `  ${capture.size} ${input} ${measure}: ${Math.round(m.wallMs)} ms wall (runs ${m.runs.join(', ')}), ${Math.round(m.cpuMs)} ms CPU, ${Math.round(m.peakRssMb)} MB`,
  );
  return m;
};

/**
 * Measures one file: rounds of every measure run back to back, so that a burst of load from elsewhere hits
 * them alike, and the peer in the first rounds only (it is an order of magnitude slower, and its noise
 * cannot change the verdict).
 */
const measureFile = (
  capture: CaptureFiles,
  input: 'plain' | 'gzip',
  rounds: number,
  peerRounds: number,
  data: { baselineDir: string; training: string },
  scratch: string,
  log: (line: string) => void,
): Measurement[] => {
  const file = input === 'plain' ? capture.plain : capture.gzip!;
  // byte ranges cannot split a gzip file; below a million records, starting threads costs more than it saves
  const measures: Measure[] = ['floor', 'engine', 'check bundled'];
  if (capture.records <= LAUNCHER_UP_TO) measures.push('check');
  if (input === 'plain' && capture.records >= 1_000_000) measures.push('engine×2');
  if (capture.records <= PEER_UP_TO) measures.push('peer');
  const children = new Map<Measure, Child[]>(measures.map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    for (const measure of measures) {
      if (measure === 'peer' && round >= peerRounds) continue;
      const [command, args] = commandFor(measure, file, data);
      children.get(measure)!.push(runChild(measure, command, args, scratch));
    }
  }
  const rows = measures.map((measure) => summarize(measure, capture, input, children.get(measure)!, log));
  const floor = rows[0]!;
  const peer = rows.find((m) => m.measure === 'peer');
  for (const m of rows) {
    m.vsFloor = floor.wallMs / m.wallMs;
    m.vsFloorCpu = floor.cpuMs / m.cpuMs;
    if (peer) m.peerOverThis = peer.wallMs / m.wallMs;
  }
  return rows;
};

/** Where the bundled check spends its CPU on `file`: self time per function, the top entries. */
const profileCheck = (file: string, baselineDir: string, scratch: string) => {
  const dir = join(scratch, 'cpu-profile');
  execFileSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      CLI_BUNDLE,
      'check',
      '--baseline',
      baselineDir,
      '--current',
      file,
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * MB },
  );
  const [name] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const times = selfTimes(JSON.parse(readFileSync(join(dir, name!), 'utf8')));
  // a bundle's locations say little: the function's name is enough to find it
  return times.slice(0, PROFILE_TOP).map((t) => ({
    name: t.name.replace(/ cli\.mjs:\d+$/, ''),
    ms: Math.round(t.ms),
    share: Math.round(t.share * 1000) / 1000,
  }));
};

const fmt = (x: number | undefined, digits = 2): string => (x === undefined ? '' : x.toFixed(digits));
const thousands = (x: number): string => Math.round(x).toLocaleString('en-US');

const table = (rows: Measurement[]): string => {
  const header = [
    'size',
    'input',
    'measure',
    'records/s',
    'MB/s',
    'wall ms',
    'CPU ms',
    'peak RSS MB',
    'vs floor',
    'vs floor (CPU)',
    'peer ÷ this',
  ];
  const body = rows.map((m) => [
    m.size,
    m.input,
    m.threads > 1 ? `${m.measure} (${m.threads} threads)` : m.measure,
    thousands(m.recordsPerSecond),
    fmt(m.mbPerSecond, 1),
    thousands(m.wallMs),
    thousands(m.cpuMs),
    fmt(m.peakRssMb, 0),
    fmt(m.vsFloor),
    fmt(m.vsFloorCpu),
    fmt(m.peerOverThis, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
};

const pythonVersions = (): string => {
  try {
    return execFileSync(
      PYTHON,
      [
        '-c',
        'import sys, pandas, scipy, numpy; print(sys.version.split()[0], pandas.__version__, scipy.__version__, numpy.__version__)',
      ],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    return 'unavailable';
  }
};

const parseArgs = (argv: string[]) => {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--sizes');
  const sizes = quick ? ['100k'] : at === -1 ? [...DEFAULT_SIZES] : argv[at + 1]!.split(',');
  const qualityAt = argv.indexOf('--quality-sizes');
  const qualitySizes =
    qualityAt !== -1
      ? argv[qualityAt + 1]!.split(',')
      : quick
        ? ['100k']
        : at === -1
          ? Object.keys(QUALITY_SIZES)
          : sizes.filter((s) => s in QUALITY_SIZES);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt === -1 ? undefined : argv[onlyAt + 1];
  return { quick, sizes, qualitySizes, only };
};

/** results.json keeps what an `--only` run did not measure */
const writeResults = (results: Record<string, unknown>): void => {
  const path = join(BENCH_DIR, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // first run
  }
  writeFileSync(
    path,
    `${JSON.stringify({ ...previous, ...results, generatedAt: new Date().toISOString() }, null, 2)}\n`,
  );
};

const printQuality = (quality: QualityBenchResult): void => {
  console.log(`\nmodel quality: model-care quality vs pandas merge + scikit-learn, whole processes\n`);
  console.log(qualityTable(quality));
  console.log('\nwhere the engine spends its CPU (bench/quality-profile.ts):');
  for (const line of qualityProfileLines(quality)) console.log(line);
  for (const [size, a] of Object.entries(quality.agreement)) {
    if (!a.agree)
      console.log(`quality ${size}: figures DIFFER from scikit-learn: ${a.differences.join('; ')}`);
  }
};

const dispatchSection = async (log: (line: string) => void) => {
  log('fleet dispatch');
  const dispatch = await runDispatchBench(log);
  writeFileSync(join(BENCH_DIR, 'dispatch-results.json'), `${JSON.stringify(dispatch, null, 2)}\n`);
  return dispatch;
};

const main = async (): Promise<void> => {
  const { quick, sizes, qualitySizes, only } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (only === 'startup') {
    const startup = await runStartupBench(log);
    console.log(startupLines(startup).join('\n'));
    writeResults({ startup });
    return;
  }
  if (only === 'quality') {
    const quality = await runQualityBench(qualitySizes, log);
    printQuality(quality);
    writeResults({ quality });
    return;
  }
  if (process.argv.includes('--dispatch')) {
    await dispatchSection(log);
    console.log('wrote bench/dispatch-results.json');
    return;
  }
  const data = await ensureData(sizes, log);
  const bundle = (entry: string, outfile: string) =>
    build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      // commander and the SDK are CommonJS: give the ESM bundle a require
      banner: {
        js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
      },
    });
  // the engine runs bundled, as the Lambda does; the CLI bundled as the package will ship it
  await bundle(join(BENCH_DIR, 'worker.ts'), WORKER);
  await bundle(join(ROOT, 'bin', 'cli.ts'), CLI_BUNDLE);

  const scratch = mkdtempSync(join(tmpdir(), 'model-care-bench-'));
  const rows: Measurement[] = [];
  let profile: { size: string; top: ReturnType<typeof profileCheck> } | undefined;
  try {
    for (const capture of data.captures) {
      // the best of a few rounds: noise on a shared machine only ever adds time
      const rounds = capture.records <= 100_000 ? 5 : capture.records <= 1_000_000 ? 3 : 1;
      const peerRounds = capture.records <= 100_000 ? 2 : 1;
      for (const input of ['plain', 'gzip'] as const) {
        if (input === 'gzip' && capture.gzip === undefined) continue;
        log(`${capture.size} ${input}`);
        rows.push(...measureFile(capture, input, rounds, peerRounds, data, scratch, log));
      }
    }
    // the profile of the largest window up to 1M: past that it says the same, at length
    const profiled = data.captures.filter((c) => c.records <= 1_000_000).at(-1);
    if (profiled && !quick) {
      log(`profiling the bundled check on ${profiled.size}`);
      profile = { size: profiled.size, top: profileCheck(profiled.plain, data.baselineDir, scratch) };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // the median of seven checks, in a process of its own; the best of three such processes
  const drifts = [0, 1, 2].map(() =>
    lastJsonLine(
      execFileSync(process.execPath, [WORKER, 'drift', String(DRIFT_FEATURES)], { encoding: 'utf8' }),
    ),
  );
  const drift = drifts.reduce((a, b) => (Number(b.elapsedMs) < Number(a.elapsedMs) ? b : a));
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    python: pythonVersions(),
  };
  const quality =
    qualitySizes.length > 0 && only !== 'engine' ? await runQualityBench(qualitySizes, log) : undefined;
  const summary = rows.find((m) => m.size === '100k' && m.input === 'plain' && m.measure === 'check bundled');
  const byRss = rows.filter((m) => m.measure === 'check bundled' && m.input === 'plain');
  const dispatch = only === 'engine' ? undefined : await dispatchSection(log);
  const startup = quick || only === 'engine' ? undefined : await runStartupBench(log);
  const results = {
    generatedAt: new Date().toISOString(),
    machine,
    measurements: rows,
    dispatch,
    drift: {
      features: DRIFT_FEATURES,
      rowsPerProfile: drift.rowsPerProfile,
      medianMs: drift.elapsedMs,
      maxMs: drift.maxMs,
      runsMedianMs: drifts.map((d) => Math.round(Number(d.elapsedMs) * 10) / 10),
      targetMs: DRIFT_TARGET_MS,
    },
    ...(profile ? { profile } : {}),
    ...(quality ? { quality } : {}),
    ...(startup ? { startup } : {}),
  };
  writeResults(results);

  console.log(
    `\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, python/pandas/scipy/numpy ${machine.python}\n`,
  );
  console.log(table(rows));
  console.log(
    `\ndrift + data quality of two ${DRIFT_FEATURES}-feature profiles: ${fmt(Number(drift.elapsedMs), 1)} ms median (target < ${DRIFT_TARGET_MS} ms)`,
  );
  if (byRss.length > 0) {
    const sizes = byRss.map((m) => `${m.size} ${fmt(m.peakRssMb, 0)} MB`).join(', ');
    console.log(`check (bundled) peak RSS: ${sizes} (target < 256 MB, flat)`);
  }
  if (profile) {
    console.log(
      `\nwhere the bundled check spends its CPU at ${profile.size} (self time, bench/profile-summary.ts):`,
    );
    for (const t of profile.top)
      console.log(`  ${(t.share * 100).toFixed(1).padStart(5)}%  ${String(t.ms).padStart(6)} ms  ${t.name}`);
  }
  if (quality) printQuality(quality);
  if (startup)
    console.log(`\nstart-up and cold start (bench/startup-bench.ts)\n${startupLines(startup).join('\n')}`);
  console.log('wrote bench/results.json');
  // the sequential verdicts' simulations and the backtest (bench/verdicts.ts), in a process of their own
  if (!quick && only !== 'engine') {
    execFileSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'verdicts.ts')], { stdio: 'inherit' });
  }
  if (summary) {
    console.log(
      `ratio_vs_floor=${fmt(summary.vsFloor)} ratio_vs_peer=${fmt(summary.peerOverThis, 1)} peak_rss_mb=${fmt(summary.peakRssMb, 0)}`,
    );
  }
};

await main();
