/**
 * One measurement in its own process, so its peak RSS is its own. run.ts bundles this file with
 * esbuild (as the Lambda is bundled) and runs it with plain node:
 *
 *   node worker.mjs floor <capture file>                 read + line split + JSON.parse, nothing else
 *   node worker.mjs engine <capture file> <baseline dir> the data job: profile, drift, data quality
 *   node worker.mjs parallel <capture file> <baseline dir> <n>  the same, the file split into n byte ranges
 *                                                        profiled by n worker threads, parts merged
 *   node worker.mjs drift <features>                     runDataCheck of two wide profiles, in memory
 *
 * Prints one JSON line: what was measured, elapsed milliseconds and peak RSS in bytes.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { loadBaseline } from '../functions/engine/baseline/load-baseline.ts';
import { suggestConstraints } from '../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../functions/engine/baseline/write-statistics.ts';
import { runDataCheck } from '../functions/engine/monitor/run-data-check.ts';
import { DatasetProfile } from '../functions/engine/profile/dataset-profile.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import {
  mergeProfileParts,
  type ProfilePartJson,
  toProfilePart,
} from '../functions/engine/profile/profile-parts.ts';
import { profileSources } from '../functions/engine/profile/profile-sources.ts';
import {
  type ByteRange,
  type LineCount,
  openFileRange,
  splitRanges,
} from '../functions/engine/readers/byte-range.ts';
import { openFile } from '../functions/engine/readers/byte-source.ts';
import type { TableSchema } from '../functions/engine/readers/table-types.ts';
import { Random } from './features.ts';

// the engine's own read size, so the floor and the engine pull the same chunks
const CHUNK_BYTES = 1024 * 1024;

const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** The floor: the least any JSON Lines reader must do. Bytes in, one JSON.parse per line, nothing kept. */
const floor = async (file: string): Promise<Record<string, unknown>> => {
  const started = performance.now();
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const bytes = file.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let records = 0;
  let keys = 0; // consumed, so the parse cannot be optimised away
  const parse = (line: string) => {
    if (line.length === 0) return;
    const value = JSON.parse(line) as Record<string, unknown>;
    records += 1;
    if (value.captureData !== undefined) keys += 1;
  };
  for await (const chunk of bytes) {
    const text = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      parse(text.slice(start, end));
      start = end + 1;
    }
    carry = text.slice(start);
  }
  parse(carry + decoder.end());
  return { records, keys, elapsedMs: performance.now() - started };
};

const readBaseline = async (baselineDir: string) => {
  const [statistics, constraints] = await Promise.all(
    ['statistics.json', 'constraints.json'].map(async (name) =>
      JSON.parse(await readFile(join(baselineDir, name), 'utf8')),
    ),
  );
  return loadBaseline(statistics, constraints);
};

const captureSchema = (names: string[]): TableSchema => ({
  inputNames: names.filter((n) => n !== 'prediction'),
  outputNames: ['prediction'],
});

/** The data job as the Lambda runs it: load the baseline, profile the window, check it. */
const engine = async (file: string, baselineDir: string): Promise<Record<string, unknown>> => {
  const started = performance.now();
  const baseline = await readBaseline(baselineDir);
  const names = baseline.statistics.features.map((f) => f.name);
  const malformed = new MalformedLog();
  const { profile } = await profileSources([{ name: file, open: () => openFile(file) }], {
    format: 'capture',
    schema: captureSchema(names),
    malformed,
  });
  const profiled = performance.now();
  const report = runDataCheck(baseline, profile, malformed);
  const finished = performance.now();
  return {
    records: profile.rows,
    malformed: malformed.count,
    drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
    violations: report.violations.length,
    profileMs: profiled - started,
    checkMs: finished - profiled,
    elapsedMs: finished - started,
  };
};

interface PartTask {
  file: string;
  range: ByteRange;
  schema: TableSchema;
}

/** One worker thread's share of a fanned-out window: profile a byte range, hand back the part. */
const profilePart = async ({ file, range, schema }: PartTask): Promise<ProfilePartJson> => {
  const malformed = new MalformedLog();
  const count: LineCount = { lines: 0 };
  const { profile } = await profileSources([{ name: file, open: () => openFileRange(file, range, count) }], {
    format: 'capture',
    schema,
    malformed,
  });
  return toProfilePart({ source: file, range, lines: count.lines, profile, malformed });
};

/** The data job fanned out over `workers` threads, as Distributed Map fans it out over Lambdas. */
const parallel = async (
  file: string,
  baselineDir: string,
  workers: number,
): Promise<Record<string, unknown>> => {
  const started = performance.now();
  const baseline = await readBaseline(baselineDir);
  const schema = captureSchema(baseline.statistics.features.map((f) => f.name));
  const tasks = splitRanges(statSync(file).size, workers).map((range) => ({ file, range, schema }));
  const parts = await Promise.all(
    tasks.map(
      (task) =>
        new Promise<ProfilePartJson>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: task });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const { profile, malformed } = mergeProfileParts(parts);
  const profiled = performance.now();
  const report = runDataCheck(baseline, profile, malformed);
  const finished = performance.now();
  return {
    records: profile.rows,
    workers,
    malformed: malformed.count,
    drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
    violations: report.violations.length,
    profileMs: profiled - started,
    checkMs: finished - profiled,
    elapsedMs: finished - started,
  };
};

/** A profile of `features` columns (half numeric, half categorical) over `rows` seeded rows. */
const wideProfile = (features: number, rows: number, seed: number, shift: number): DatasetProfile => {
  const names = Array.from({ length: features }, (_, i) => (i % 2 === 0 ? `num_${i}` : `cat_${i}`));
  const profile = new DatasetProfile(names);
  const r = new Random(seed);
  const values = new Array<string | number>(features);
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < features; i++) {
      values[i] = i % 2 === 0 ? r.normal(i % 7 === 0 ? shift : 0, 1) : `v${Math.floor(r.next() * 30)}`;
    }
    profile.addRow(values);
  }
  return profile;
};

/** Drift and data quality of two wide profiles, each past the sketch's exact range (compacted). */
const drift = (features: number): Record<string, unknown> => {
  const rows = 50_000;
  const base = wideProfile(features, rows, 1, 0);
  const window = wideProfile(features, rows, 2, 0.2);
  const baseline = loadBaseline(
    JSON.parse(JSON.stringify(toStatisticsFile(base))),
    JSON.parse(JSON.stringify(suggestConstraints(base))),
  );
  // warm once (the JIT), then take the median of several runs
  runDataCheck(baseline, window);
  const times: number[] = [];
  let drifted = 0;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const report = runDataCheck(baseline, window);
    times.push(performance.now() - started);
    drifted = report.features.filter((f) => f.drifted).length;
  }
  times.sort((a, b) => a - b);
  const mergeStarted = performance.now();
  const merged = DatasetProfile.fromJSON(JSON.parse(JSON.stringify(base.toJSON())));
  merged.merge(DatasetProfile.fromJSON(JSON.parse(JSON.stringify(window.toJSON()))));
  const mergeMs = performance.now() - mergeStarted;
  return { features, rowsPerProfile: rows, drifted, elapsedMs: times[3]!, maxMs: times[6]!, mergeMs };
};

const main = async (): Promise<void> => {
  const [mode, a, b] = process.argv.slice(2);
  const cpuStart = process.cpuUsage();
  let result: Record<string, unknown>;
  if (mode === 'floor') result = await floor(a!);
  else if (mode === 'engine') result = await engine(a!, b!);
  else if (mode === 'parallel') result = await parallel(a!, b!, Number(process.argv[5] ?? 2));
  else if (mode === 'drift') result = drift(Number(a ?? 100));
  else throw new Error(`unknown mode ${mode}`);
  // CPU time of the measurement alone (all threads: the GC's helpers too), steadier than wall time on a busy machine
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify({ mode, ...result, cpuMs, peakRssBytes: peakRss() })}\n`);
};

if (isMainThread) await main();
else parentPort!.postMessage(await profilePart(workerData as PartTask));
