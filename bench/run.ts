/**
 * `npm run bench`: the engine against the floor and the peer, on the same bytes, in one run.
 *
 *   floor   read + line split + JSON.parse, nothing else (bench/worker.ts)
 *   engine  the data job: load the baseline, profile the window, drift and data-quality checks
 *   engine×2  the same fanned out over two worker threads by byte range, parts merged (plain files)
 *   peer    pandas read_json(lines=True) + payload split + scipy ks_2samp / chi2_contingency (bench/peer.py)
 *
 * Each measurement runs in a child process of its own, so its peak RSS is its own; throughput uses the
 * time the child measured around its work (interpreter start-up and imports left out), best of a few
 * interleaved rounds, since a shared machine adds noise only ever upwards. Writes bench/results.json.
 *
 * Then model quality (bench/quality-bench.ts): `model-care quality` against pandas merge + scikit-learn on
 * windows of 100k, 1M and 8M labelled binary predictions, whole processes, with the figures compared.
 *
 *   npm run bench                  100k, 1M and 5M records, plain and gzip; quality at 100k, 1M, 8M (minutes)
 *   npm run bench -- --quick       100k only; ends with `ratio_vs_floor=.. ratio_vs_peer=.. peak_rss_mb=..`
 *   npm run bench -- --sizes 1m    chosen sizes (quality: those of 100k, 1m, 8m among them)
 *   npm run bench -- --only quality --quality-sizes 1m,8m   the quality part alone
 *   npm run bench -- --dispatch    the fleet dispatch section only (bench/dispatch.ts; writes bench/dispatch-results.json)
 *
 * Every full run ends with the dispatch section (1,000 models, a day of dispatcher ticks).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runDispatchBench } from './dispatch.ts';
import { type CaptureFiles, DATA_DIR, ensureData, SIZES } from './generate.ts';
import {
  type QualityBenchResult,
  qualityProfileLines,
  qualityTable,
  runQualityBench,
} from './quality-bench.ts';
import { QUALITY_SIZES } from './quality-data.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const WORKER = join(DATA_DIR, 'worker.mjs');
const PYTHON = '/usr/bin/python3';
const MB = 1024 * 1024;
/** drift of two profiles this wide must take less than DRIFT_TARGET_MS */
const DRIFT_FEATURES = 100;
const DRIFT_TARGET_MS = 50;

type Measure = 'floor' | 'engine' | 'engine×2' | 'peer';

interface Child {
  mode: string;
  records?: number;
  elapsedMs: number;
  peakRssBytes: number;
  [key: string]: unknown;
}

export interface Measurement {
  size: string;
  input: 'plain' | 'gzip';
  measure: Measure;
  records: number;
  /** the uncompressed JSON Lines bytes the window holds */
  bytes: number;
  /** best of `runs` */
  elapsedMs: number;
  runs: number[];
  recordsPerSecond: number;
  mbPerSecond: number;
  /** the largest peak RSS over the runs */
  peakRssMb: number;
  /** throughput / the floor's on the same file */
  vsFloor?: number;
  /** the peer's time / this one's on the same file */
  peerOverThis?: number;
  detail: Record<string, unknown>;
}

const runChild = (command: string, args: string[]): Child => {
  const out = execFileSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = out.trim().split('\n').at(-1)!;
  return JSON.parse(last) as Child;
};

const childFor = (measure: Measure, file: string, data: { baselineDir: string; training: string }) => {
  switch (measure) {
    case 'floor':
      return [process.execPath, [WORKER, 'floor', file]] as const;
    case 'engine':
      return [process.execPath, [WORKER, 'engine', file, data.baselineDir]] as const;
    case 'engine×2':
      return [process.execPath, [WORKER, 'parallel', file, data.baselineDir, '2']] as const;
    case 'peer':
      return [PYTHON, [join(BENCH_DIR, 'peer.py'), file, data.training]] as const;
  }
};

const summarize = (
  measure: Measure,
  capture: CaptureFiles,
  input: 'plain' | 'gzip',
  children: Child[],
  log: (line: string) => void,
): Measurement => {
  const best = children.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
  const bytes = statSync(capture.plain).size;
  const records = Number(best.records ?? capture.records);
  if (records !== capture.records)
    throw new Error(`${measure} read ${records} of ${capture.records} records`);
  const seconds = best.elapsedMs / 1000;
  const m: Measurement = {
    size: capture.size,
    input,
    measure,
    records,
    bytes,
    elapsedMs: best.elapsedMs,
    runs: children.map((c) => Math.round(c.elapsedMs)),
    recordsPerSecond: records / seconds,
    mbPerSecond: bytes / MB / seconds,
    peakRssMb: Math.max(...children.map((c) => c.peakRssBytes)) / MB,
    detail: Object.fromEntries(
      Object.entries(best).filter(([k]) => !['mode', 'elapsedMs', 'peakRssBytes', 'records'].includes(k)),
    ),
  };
  log(
    `  ${capture.size} ${input} ${measure}: ${Math.round(m.elapsedMs)} ms (runs ${m.runs.join(', ')}), ${Math.round(m.peakRssMb)} MB`,
  );
  return m;
};

/**
 * Measures one file: rounds of floor, engine (and engine×2) run back to back, so that a burst of load
 * from elsewhere hits them alike, and the peer in the first rounds only (it is an order of magnitude
 * slower, and its noise cannot change the verdict).
 */
const measureFile = (
  capture: CaptureFiles,
  input: 'plain' | 'gzip',
  rounds: number,
  peerRounds: number,
  data: { baselineDir: string; training: string },
  log: (line: string) => void,
): Measurement[] => {
  const file = input === 'plain' ? capture.plain : capture.gzip;
  // byte ranges cannot split a gzip file; below a million records, starting threads costs more than it saves
  const parallel = input === 'plain' && capture.records >= 1_000_000;
  const measures: Measure[] = parallel
    ? ['floor', 'engine', 'engine×2', 'peer']
    : ['floor', 'engine', 'peer'];
  const children = new Map<Measure, Child[]>(measures.map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    for (const measure of measures) {
      if (measure === 'peer' && round >= peerRounds) continue;
      const [command, args] = childFor(measure, file, data);
      children.get(measure)!.push(runChild(command, [...args]));
    }
  }
  const rows = measures.map((measure) => summarize(measure, capture, input, children.get(measure)!, log));
  const floor = rows[0]!;
  const peer = rows.at(-1)!;
  for (const m of rows) {
    m.vsFloor = floor.elapsedMs / m.elapsedMs;
    m.peerOverThis = peer.elapsedMs / m.elapsedMs;
  }
  return rows;
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
    'time ms',
    'peak RSS MB',
    'vs floor',
    'peer ÷ this',
  ];
  const body = rows.map((m) => [
    m.size,
    m.input,
    m.measure,
    thousands(m.recordsPerSecond),
    fmt(m.mbPerSecond, 1),
    thousands(m.elapsedMs),
    fmt(m.peakRssMb, 0),
    fmt(m.vsFloor),
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
  const sizes = quick ? ['100k'] : at === -1 ? Object.keys(SIZES) : argv[at + 1]!.split(',');
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
  const { sizes, qualitySizes, only } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
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
  // the engine runs bundled, as the Lambda does
  await build({
    entryPoints: [join(BENCH_DIR, 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: WORKER,
    logLevel: 'warning',
  });

  const rows: Measurement[] = [];
  for (const capture of data.captures) {
    // the best of a few rounds: noise on a shared machine only ever adds time
    const rounds = capture.records <= 100_000 ? 5 : capture.records <= 1_000_000 ? 3 : 1;
    const peerRounds = capture.records <= 100_000 ? 2 : 1;
    for (const input of ['plain', 'gzip'] as const) {
      log(`${capture.size} ${input}`);
      rows.push(...measureFile(capture, input, rounds, peerRounds, data, log));
    }
  }

  // the median of seven checks, in a process of its own; the best of three such processes
  const drifts = [0, 1, 2].map(() => runChild(process.execPath, [WORKER, 'drift', String(DRIFT_FEATURES)]));
  const drift = drifts.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    python: pythonVersions(),
  };
  const quality = qualitySizes.length > 0 ? await runQualityBench(qualitySizes, log) : undefined;
  const engine100k = rows.find((m) => m.size === '100k' && m.input === 'plain' && m.measure === 'engine');
  const largest = rows.filter((m) => m.measure === 'engine').sort((a, b) => b.records - a.records)[0];
  const dispatch = await dispatchSection(log);
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
      runsMedianMs: drifts.map((d) => Math.round(d.elapsedMs * 10) / 10),
      targetMs: DRIFT_TARGET_MS,
    },
    ...(quality ? { quality } : {}),
  };
  writeResults(results);

  console.log(
    `\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, python/pandas/scipy/numpy ${machine.python}\n`,
  );
  console.log(table(rows));
  console.log(
    `\ndrift + data quality of two ${DRIFT_FEATURES}-feature profiles: ${fmt(drift.elapsedMs, 1)} ms median (target < ${DRIFT_TARGET_MS} ms)`,
  );
  if (largest)
    console.log(`engine peak RSS at ${largest.size}: ${fmt(largest.peakRssMb, 0)} MB (target < 256 MB)`);
  if (quality) printQuality(quality);
  console.log('wrote bench/results.json');
  // the sequential verdicts' simulations and the backtest (bench/verdicts.ts), in a process of their own
  if (!parseArgs(process.argv.slice(2)).quick) {
    execFileSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'verdicts.ts')], { stdio: 'inherit' });
  }
  if (engine100k) {
    console.log(
      `ratio_vs_floor=${fmt(engine100k.vsFloor)} ratio_vs_peer=${fmt(engine100k.peerOverThis, 1)} peak_rss_mb=${fmt(engine100k.peakRssMb, 0)}`,
    );
  }
};

await main();
