/**
 * Writes the model-quality benchmark's inputs under bench/data/ (gitignored): a seeded window of binary
 * predictions (`id,prediction,score`, about 18 bytes a row) and its labels (`id,label`, about 9 bytes a row),
 * the shapes `model-care quality` reads. Labels arrive in a shuffled order, as they do from a labelling
 * queue; 3% of predictions never get a label, 1% of labels name no prediction (orphans), and one prediction
 * in a thousand is sent twice (a retry), so the join's counting is exercised at every size.
 *
 *   npx tsx bench/quality-data.ts [--sizes 100k,1m,8m]
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from './features.ts';
import { DATA_DIR } from './generate.ts';

/** bump when the bytes a seed produces change, so stale files are rewritten */
const GENERATOR_VERSION = 1;
export const QUALITY_SEED = 14_2026;
export const QUALITY_SIZES: Readonly<Record<string, number>> = {
  '100k': 100_000,
  '1m': 1_000_000,
  '8m': 8_000_000,
};

export interface QualityFiles {
  readonly size: string;
  /** prediction rows written (duplicates included) */
  readonly records: number;
  readonly predictions: string;
  readonly labels: string;
}

const MANIFEST = join(DATA_DIR, 'quality-manifest.json');
const BLOCK = 8192;

type Manifest = Record<string, { version: number; seed: number; records: number; bytes: number[] }>;

const readManifest = (): Manifest => {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  } catch {
    return {};
  }
};

const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : -1);

const writer = (path: string) => {
  const out = createWriteStream(path);
  const lines: string[] = [];
  return {
    async line(text: string): Promise<void> {
      lines.push(text);
      if (lines.length === BLOCK) {
        const block = lines.join('');
        lines.length = 0;
        if (!out.write(block)) await once(out, 'drain');
      }
    },
    async close(): Promise<void> {
      out.end(lines.join(''));
      await once(out, 'finish');
    },
  };
};

/** Fisher-Yates over 0..n-1, seeded */
const shuffled = (n: number, r: Random): Uint32Array => {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
};

const writeQuality = async (files: QualityFiles, n: number): Promise<void> => {
  const r = new Random(QUALITY_SEED);
  const labels = new Uint8Array(n);
  const predictions = writer(files.predictions);
  await predictions.line('id,prediction,score\n');
  for (let i = 0; i < n; i++) {
    // a 30% positive rate; the score is a noisy logistic of the truth, six decimals as models print them
    const y = r.next() < 0.3 ? 1 : 0;
    labels[i] = y;
    const logit = (y === 1 ? 1.2 : -1.2) + r.normal(0, 1.6);
    const score = (1 / (1 + Math.exp(-logit))).toFixed(6);
    const line = `${i},${Number(score) >= 0.5 ? 1 : 0},${score}\n`;
    await predictions.line(line);
    // a retry: the same id again, with a slightly different score (the later one wins)
    if (r.next() < 0.001) {
      const again = Math.min(1, Math.max(0, Number(score) + r.normal(0, 0.01))).toFixed(6);
      await predictions.line(`${i},${Number(again) >= 0.5 ? 1 : 0},${again}\n`);
    }
  }
  await predictions.close();
  const out = writer(files.labels);
  await out.line('id,label\n');
  const order = shuffled(n, r);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (r.next() < 0.03) continue; // never labelled (yet)
    await out.line(`${i},${labels[i]}\n`);
    // an orphan: a label whose prediction is in no window we read
    if (r.next() < 0.01) await out.line(`${n + i},${labels[i]}\n`);
  }
  await out.close();
};

/** Makes sure the quality files for `sizes` exist (rewriting stale ones) and returns their paths. */
export const ensureQualityData = async (
  sizes: readonly string[],
  log = (_: string) => {},
): Promise<QualityFiles[]> => {
  mkdirSync(DATA_DIR, { recursive: true });
  const manifest = readManifest();
  const out: QualityFiles[] = [];
  for (const size of sizes) {
    const n = QUALITY_SIZES[size];
    if (n === undefined)
      throw new Error(`unknown size "${size}" (expected ${Object.keys(QUALITY_SIZES).join(', ')})`);
    const files: QualityFiles = {
      size,
      records: n,
      predictions: join(DATA_DIR, `quality-${size}-predictions.csv`),
      labels: join(DATA_DIR, `quality-${size}-labels.csv`),
    };
    const entry = manifest[size];
    const current =
      entry?.version === GENERATOR_VERSION &&
      entry.seed === QUALITY_SEED &&
      entry.records === n &&
      entry.bytes[0] === sizeOf(files.predictions) &&
      entry.bytes[1] === sizeOf(files.labels);
    if (!current) {
      const started = performance.now();
      log(`writing ${n} labelled binary predictions (${size})`);
      await writeQuality(files, n);
      log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      manifest[size] = {
        version: GENERATOR_VERSION,
        seed: QUALITY_SEED,
        records: n,
        bytes: [sizeOf(files.predictions), sizeOf(files.labels)],
      };
      writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    out.push(files);
  }
  return out;
};

const main = async (): Promise<void> => {
  const at = process.argv.indexOf('--sizes');
  const sizes = at === -1 ? Object.keys(QUALITY_SIZES) : process.argv[at + 1]!.split(',');
  for (const f of await ensureQualityData(sizes, (line) => console.error(line))) {
    console.log(`${f.predictions} (${sizeOf(f.predictions)} bytes), ${f.labels} (${sizeOf(f.labels)} bytes)`);
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
