/**
 * The model-quality part of `npm run bench`: `model-care quality` on a window of labelled binary predictions
 * (bench/quality-data.ts) against pandas + scikit-learn on the same files (bench/quality-peer.py), as whole
 * processes: wall time from spawn to exit (start-up, imports and JIT are part of what users wait for), CPU time
 * and peak RSS of each, best of a few interleaved rounds. Checks that both report the same counts and the same
 * metrics to 12 significant digits, and profiles where the engine's time goes (bench/quality-profile.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DATA_DIR } from './generate.ts';
import { ensureQualityData, type QualityFiles } from './quality-data.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const CLI = join(DATA_DIR, 'quality-cli.mjs');
const PROFILE = join(DATA_DIR, 'quality-profile.mjs');
const PYTHON = '/usr/bin/python3';
const MB = 1024 * 1024;
/** relative difference allowed between the engine's and scikit-learn's figures */
const DIGITS = 12;

interface Run {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  output: Record<string, unknown>;
}

export interface QualityMeasurement {
  size: string;
  measure: 'engine' | 'peer';
  /** prediction rows in the window (retries included) */
  records: number;
  /** bytes of both CSV files */
  bytes: number;
  /** best wall time, spawn to exit */
  wallMs: number;
  runs: number[];
  /** CPU time (all threads) of the run with the best wall time */
  cpuMs: number;
  peakRssMb: number;
  /** the peer's wall time / the engine's */
  peerOverEngine?: number;
  /** the peer's CPU time / the engine's */
  peerOverEngineCpu?: number;
  detail: Record<string, unknown>;
}

export interface QualityBenchResult {
  measurements: QualityMeasurement[];
  /** per size: whether counts match exactly and metrics to 12 digits */
  agreement: Record<string, { agree: boolean; worstRelativeDifference: number; differences: string[] }>;
  profiles: Record<string, unknown>;
}

const timed = (command: string, args: string[]): Run => {
  const started = performance.now();
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * MB });
  const wallMs = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  const last = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
  const output = JSON.parse(child.stdout) as Record<string, unknown>;
  // the engine reports RSS and CPU on stderr (quality-cli.ts), the peer in its own JSON line
  const usage = command === PYTHON ? output : last(child.stderr);
  return { wallMs, cpuMs: Number(usage.cpuMs), peakRssBytes: Number(usage.peakRssBytes), output };
};

const engineRun = (files: QualityFiles): Run =>
  timed(process.execPath, [
    CLI,
    'quality',
    '-p',
    files.predictions,
    '-l',
    files.labels,
    '--problem',
    'binary',
    '--json',
  ]);

const peerRun = (files: QualityFiles): Run =>
  timed(PYTHON, [join(BENCH_DIR, 'quality-peer.py'), files.predictions, files.labels]);

/** counts equal, metrics equal to 12 significant digits */
const compare = (engine: Record<string, unknown>, peer: Record<string, unknown>) => {
  const differences: string[] = [];
  let worst = 0;
  const same = (name: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      differences.push(`${name}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  same('rows', engine.rows, peer.rows);
  same('unmatched', engine.unmatched, peer.unmatched);
  same('duplicateIds', engine.duplicateIds, peer.duplicateIds);
  const ours = engine.metrics as Record<string, unknown>;
  for (const [name, theirs] of Object.entries(peer.metrics as Record<string, unknown>)) {
    if (typeof theirs !== 'number') {
      same(name, ours[name], theirs);
      continue;
    }
    const relative = Math.abs((ours[name] as number) - theirs) / Math.max(1, Math.abs(theirs));
    worst = Math.max(worst, relative);
    if (!(relative <= 10 ** -DIGITS)) differences.push(`${name}: ${ours[name]} vs ${theirs}`);
  }
  return { agree: differences.length === 0, worstRelativeDifference: worst, differences };
};

const summarize = (
  size: string,
  files: QualityFiles,
  measure: 'engine' | 'peer',
  runs: Run[],
): QualityMeasurement => {
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const output = best.output;
  return {
    size,
    measure,
    records: files.records,
    bytes: statSync(files.predictions).size + statSync(files.labels).size,
    wallMs: best.wallMs,
    runs: runs.map((r) => Math.round(r.wallMs)),
    cpuMs: best.cpuMs,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssBytes)) / MB,
    detail:
      measure === 'peer'
        ? { workMs: output.elapsedMs, withImportsMs: output.withImportsMs }
        : { rows: output.rows, unmatched: output.unmatched, duplicateIds: output.duplicateIds },
  };
};

export const runQualityBench = async (
  sizes: readonly string[],
  log: (line: string) => void,
): Promise<QualityBenchResult> => {
  const data = await ensureQualityData(sizes, log);
  const bundle = (entry: string, outfile: string) =>
    build({
      entryPoints: [join(BENCH_DIR, entry)],
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
  await bundle('quality-cli.ts', CLI);
  await bundle('quality-profile.ts', PROFILE);

  const measurements: QualityMeasurement[] = [];
  const agreement: QualityBenchResult['agreement'] = {};
  const profiles: Record<string, unknown> = {};
  for (const files of data) {
    const rounds = files.records <= 100_000 ? 5 : files.records <= 1_000_000 ? 3 : 1;
    const peerRounds = files.records <= 100_000 ? 3 : files.records <= 1_000_000 ? 2 : 1;
    log(`quality ${files.size}`);
    const engine: Run[] = [];
    const peer: Run[] = [];
    // interleaved, so that a burst of load from elsewhere hits both alike
    for (let round = 0; round < rounds; round++) {
      engine.push(engineRun(files));
      if (round < peerRounds) peer.push(peerRun(files));
    }
    const e = summarize(files.size, files, 'engine', engine);
    const p = summarize(files.size, files, 'peer', peer);
    e.peerOverEngine = p.wallMs / e.wallMs;
    e.peerOverEngineCpu = p.cpuMs / e.cpuMs;
    measurements.push(e, p);
    agreement[files.size] = compare(engine[0]!.output, peer[0]!.output);
    profiles[files.size] = JSON.parse(
      execFileSync(process.execPath, [PROFILE, files.predictions, files.labels], { encoding: 'utf8' }).trim(),
    );
    for (const m of [e, p]) {
      log(
        `  ${m.size} ${m.measure}: ${Math.round(m.wallMs)} ms wall (runs ${m.runs.join(', ')}), ${Math.round(m.cpuMs)} ms CPU, ${Math.round(m.peakRssMb)} MB`,
      );
    }
  }
  return { measurements, agreement, profiles };
};

const thousands = (x: number): string => Math.round(x).toLocaleString('en-US');

/** the table `npm run bench` prints */
export const qualityTable = (result: QualityBenchResult): string => {
  const header = [
    'size',
    'measure',
    'rows/s',
    'wall ms',
    'CPU ms',
    'peak RSS MB',
    'peer ÷ this (wall)',
    'peer ÷ this (CPU)',
    'figures',
  ];
  const body = result.measurements.map((m) => [
    m.size,
    m.measure,
    thousands(m.records / (m.wallMs / 1000)),
    thousands(m.wallMs),
    thousands(m.cpuMs),
    thousands(m.peakRssMb),
    m.peerOverEngine === undefined ? '' : m.peerOverEngine.toFixed(1),
    m.peerOverEngineCpu === undefined ? '' : m.peerOverEngineCpu.toFixed(1),
    m.measure === 'engine' ? (result.agreement[m.size]!.agree ? 'same to 12 digits' : 'DIFFER') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
};

/** one line per size: the engine's phases, CPU ms */
export const qualityProfileLines = (result: QualityBenchResult): string[] =>
  Object.entries(result.profiles).map(([size, raw]) => {
    const profile = raw as {
      phases: Record<string, { cpuMs: number }>;
      join: { spilled: boolean; spillBytes: number; peakRowsInMemory: number; depth: number };
      scoresSpilled: boolean;
    };
    const phases = Object.entries(profile.phases)
      .map(([name, p]) => `${name} ${Math.round(p.cpuMs)}`)
      .join(', ');
    const disk = profile.join.spilled
      ? `${Math.round(profile.join.spillBytes / MB)} MB spilled`
      : 'nothing spilled';
    return `  ${size}: CPU ms ${phases}; join ${disk}, largest partition ${thousands(profile.join.peakRowsInMemory)} ids, depth ${profile.join.depth}; scores ${profile.scoresSpilled ? 'spilled' : 'in memory'}`;
  });
