/**
 * Writes the benchmark's inputs under bench/data/ (gitignored): seeded SageMaker Data Capture windows
 * (CSV-encoded request of 20 features, a score response), plain and gzip, a separately seeded training
 * set as CSV, and its baseline (statistics.json, constraints.json) built by the engine itself.
 * Files are reused when bench/data/manifest.json says they were written with the same seed, size and
 * generator version; anything else is rewritten.
 *
 *   npx tsx bench/generate.ts [--sizes 100k,1m,5m,10m]
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { suggestConstraints } from '../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../functions/engine/baseline/write-statistics.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../functions/engine/profile/profile-sources.ts';
import { openFile } from '../functions/engine/readers/byte-source.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';
import { drawRecord, FEATURE_NAMES, OUTPUT_NAME, Random } from './features.ts';

/** bump when the bytes a seed produces change, so stale files are rewritten */
const GENERATOR_VERSION = 1;
export const CAPTURE_SEED = 20261123;
export const TRAINING_SEED = 4242;
export const TRAINING_ROWS = 100_000;

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const MANIFEST = join(DATA_DIR, 'manifest.json');

export const SIZES: Readonly<Record<string, number>> = {
  '100k': 100_000,
  '1m': 1_000_000,
  '5m': 5_000_000,
  '10m': 10_000_000,
};
/** sizes `npm run bench` measures when none are named (5m on request) */
export const DEFAULT_SIZES: readonly string[] = ['100k', '1m', '10m'];
/**
 * Above this many records no gzip copy is written: the largest window is there to show memory flat in
 * the window's size, which the plain file shows, and its gzip would cost minutes more to write.
 */
const GZIP_UP_TO = 5_000_000;

export interface CaptureFiles {
  size: string;
  records: number;
  plain: string;
  gzip?: string;
}

export interface BenchData {
  captures: CaptureFiles[];
  training: string;
  baselineDir: string;
}

interface Manifest {
  version: number;
  entries: Record<string, { seed: number; records: number; files: Record<string, number> }>;
}

const readManifest = (): Manifest => {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    if (manifest.version === GENERATOR_VERSION) return manifest;
  } catch {
    // no manifest yet, or an unreadable one: everything is rewritten
  }
  return { version: GENERATOR_VERSION, entries: {} };
};

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : -1);

/** true when every file of the entry is on disk with the size the manifest recorded */
const isCurrent = (manifest: Manifest, key: string, seed: number, records: number): boolean => {
  const entry = manifest.entries[key];
  if (entry === undefined || entry.seed !== seed || entry.records !== records) return false;
  return Object.entries(entry.files).every(([path, bytes]) => fileSize(join(DATA_DIR, path)) === bytes);
};

const record = (manifest: Manifest, key: string, seed: number, records: number, files: string[]): void => {
  manifest.entries[key] = {
    seed,
    records,
    files: Object.fromEntries(files.map((file) => [file, statSync(join(DATA_DIR, file)).size])),
  };
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
};

/** Writes text blocks to a file and, when asked, to a gzip of the same bytes, honouring backpressure. */
const openSinks = (plainPath: string, gzipPath?: string) => {
  const plain = createWriteStream(plainPath);
  const gzip = gzipPath === undefined ? undefined : createGzip();
  const gzipFile = gzipPath === undefined ? undefined : createWriteStream(gzipPath);
  if (gzip && gzipFile) gzip.pipe(gzipFile);
  return {
    async write(block: string): Promise<void> {
      const pending: Promise<unknown>[] = [];
      if (!plain.write(block)) pending.push(once(plain, 'drain'));
      if (gzip && !gzip.write(block)) pending.push(once(gzip, 'drain'));
      await Promise.all(pending);
    },
    async close(): Promise<void> {
      plain.end();
      gzip?.end();
      await Promise.all([once(plain, 'finish'), gzipFile ? once(gzipFile, 'finish') : undefined]);
    },
  };
};

const BLOCK = 4096;
const START_MS = Date.UTC(2026, 10, 23, 8, 0, 0);

const uuid = (r: Random): string => {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};

/** One capture line as SageMaker writes it (key order and content types of a real XGBoost endpoint). */
const captureLine = (input: string, score: string, eventId: string, time: string): string =>
  `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"${input}","encoding":"CSV"},` +
  `"endpointOutput":{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"${score}","encoding":"CSV"}},` +
  `"eventMetadata":{"eventId":"${eventId}","inferenceTime":"${time}"},"eventVersion":"0"}\n`;

const writeCapture = async (files: CaptureFiles): Promise<void> => {
  const features = new Random(CAPTURE_SEED);
  const ids = new Random(CAPTURE_SEED ^ 0x5bd1e995);
  const sinks = openSinks(files.plain, files.gzip);
  // one hour of traffic, spread evenly
  const stepMs = 3_600_000 / files.records;
  const lines: string[] = [];
  for (let i = 0; i < files.records; i++) {
    const { input, score } = drawRecord(features, true);
    const time = new Date(START_MS + Math.floor(i * stepMs)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lines.push(captureLine(input, score, uuid(ids), time));
    if (lines.length === BLOCK) {
      await sinks.write(lines.join(''));
      lines.length = 0;
    }
  }
  if (lines.length > 0) await sinks.write(lines.join(''));
  await sinks.close();
};

const writeTraining = async (path: string): Promise<void> => {
  const r = new Random(TRAINING_SEED);
  const sinks = openSinks(path);
  await sinks.write(`${[...FEATURE_NAMES, OUTPUT_NAME].join(',')}\n`);
  const lines: string[] = [];
  for (let i = 0; i < TRAINING_ROWS; i++) {
    const { input, score } = drawRecord(r, false);
    lines.push(`${input},${score}\n`);
    if (lines.length === BLOCK) {
      await sinks.write(lines.join(''));
      lines.length = 0;
    }
  }
  if (lines.length > 0) await sinks.write(lines.join(''));
  await sinks.close();
};

const writeBaseline = async (training: string, dir: string): Promise<void> => {
  const { profile } = await profileSources([{ name: training, open: () => openFile(training) }], {
    format: 'csv',
    header: true,
    malformed: new MalformedLog(),
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'statistics.json'), `${stringifyReport(toStatisticsFile(profile))}\n`);
  writeFileSync(join(dir, 'constraints.json'), `${stringifyReport(suggestConstraints(profile))}\n`);
};

/** Makes sure the files for `sizes` exist (writing what is missing or stale) and returns their paths. */
export const ensureData = async (sizes: readonly string[], log = (_: string) => {}): Promise<BenchData> => {
  mkdirSync(DATA_DIR, { recursive: true });
  const manifest = readManifest();
  const training = join(DATA_DIR, 'train.csv');
  const baselineDir = join(DATA_DIR, 'baseline');
  const trainFiles = ['train.csv', 'baseline/statistics.json', 'baseline/constraints.json'];
  if (!isCurrent(manifest, 'training', TRAINING_SEED, TRAINING_ROWS)) {
    log(`writing training set (${TRAINING_ROWS} rows) and its baseline`);
    await writeTraining(training);
    await writeBaseline(training, baselineDir);
    record(manifest, 'training', TRAINING_SEED, TRAINING_ROWS, trainFiles);
  }
  const captures: CaptureFiles[] = [];
  for (const size of sizes) {
    const records = SIZES[size];
    if (records === undefined)
      throw new Error(`unknown size "${size}" (expected ${Object.keys(SIZES).join(', ')})`);
    const names = [`capture-${size}.jsonl`, ...(records <= GZIP_UP_TO ? [`capture-${size}.jsonl.gz`] : [])];
    const files: CaptureFiles = {
      size,
      records,
      plain: join(DATA_DIR, names[0]!),
      ...(names[1] === undefined ? {} : { gzip: join(DATA_DIR, names[1]) }),
    };
    if (!isCurrent(manifest, `capture-${size}`, CAPTURE_SEED, records)) {
      const started = performance.now();
      log(`writing ${records} capture records (${size}), plain${files.gzip ? ' and gzip' : ''}`);
      await writeCapture(files);
      log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      record(manifest, `capture-${size}`, CAPTURE_SEED, records, names);
    }
    captures.push(files);
  }
  return { captures, training, baselineDir };
};

const main = async (): Promise<void> => {
  const at = process.argv.indexOf('--sizes');
  const sizes = at === -1 ? DEFAULT_SIZES : process.argv[at + 1]!.split(',');
  const data = await ensureData(sizes, (line) => console.error(line));
  for (const c of data.captures) {
    const gzip = c.gzip === undefined ? '' : `, ${c.gzip} (${statSync(c.gzip).size} bytes)`;
    console.log(`${c.plain} (${statSync(c.plain).size} bytes)${gzip}`);
  }
  console.log(`${data.training}, baseline in ${data.baselineDir}`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
