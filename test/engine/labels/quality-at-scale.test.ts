import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureQualityData } from '../../../bench/quality-data.ts';
import { joinLabels } from '../../../functions/engine/labels/join-labels.ts';
import {
  evaluateQualityAtScale,
  type QualityAtScaleOptions,
} from '../../../functions/engine/labels/quality-at-scale.ts';
import { readLabels, readPredictions } from '../../../functions/engine/labels/read-labels.ts';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import { evaluateQuality, type QualityProblem } from '../../../functions/engine/quality/evaluate-quality.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';
import { expectClose, loadReference } from '../quality/reference.ts';

const dir = mkdtempSync(join(tmpdir(), 'quality-at-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const write = (text: string | Buffer, ext = 'csv'): string => {
  const path = join(dir, `f${files++}.${ext}`);
  writeFileSync(path, text);
  return path;
};
const input = (file: string) => ({ file, open: () => openFile(file) });

/** a CSV cell, quoted only when it must be */
const cell = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** the in-memory path, the reference: the shared readers, joinLabels and evaluateQuality */
const inMemory = async (predictions: string, labels: string, problem: QualityProblem, segment?: string) => {
  const malformed = new MalformedLog();
  const joined = await joinLabels(
    readPredictions(predictions, openFile(predictions), {
      onMalformed: malformed.sink,
      columns: segment ? { segment } : undefined,
    }),
    readLabels(labels, openFile(labels), { onMalformed: malformed.sink }),
  );
  return { evaluation: evaluateQuality(joined, problem), malformed: malformed.lines() };
};

const atScale = async (
  predictions: string,
  labels: string,
  problem: QualityProblem,
  options: Partial<QualityAtScaleOptions> = {},
) => {
  const malformed = new MalformedLog();
  const result = await evaluateQualityAtScale(input(predictions), input(labels), problem, {
    ...options,
    onMalformed: malformed.sink,
  });
  return { ...result, malformed: malformed.lines() };
};

/** a seeded generator, so every run checks the same windows */
const lcg = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};

/**
 * A window of `n` predictions with what real ones carry: repeated ids, predictions never labelled, orphan
 * labels, labels a problem cannot read, lines with a field too many, missing ids, and a segment column.
 */
const windowOf = (problem: QualityProblem, n: number, seed: number) => {
  const r = lcg(seed);
  const classes = ['cat', 'dog', 'fish', 'émeu'];
  const regions = ['north', 'south', 'east', ''];
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const truth = (i: number) =>
    problem === 'binary'
      ? String(i % 3 === 0 ? 1 : 0)
      : problem === 'multiclass'
        ? classes[i % 4]!
        : (i / 7).toFixed(3);
  const guess = (i: number) => {
    if (problem === 'binary') {
      const s = Math.min(1, Math.max(0, (i % 3 === 0 ? 0.65 : 0.35) + (r() - 0.5) * 0.6));
      return { prediction: String(Number(s >= 0.5)), score: r() < 0.3 ? s.toFixed(2) : String(s) };
    }
    if (problem === 'multiclass')
      return { prediction: r() < 0.7 ? classes[i % 4]! : pick(classes), score: '' };
    return { prediction: String(i / 7 + (r() - 0.5)), score: '' };
  };
  const predictions = ['id,prediction,score,region'];
  const labels = ['id,label'];
  for (let i = 0; i < n; i++) {
    const { prediction, score } = guess(i);
    predictions.push(`${i},${prediction},${score},${pick(regions)}`);
    if (r() < 0.05) predictions.push(`${i},${guess(i).prediction},${guess(i).score},${pick(regions)}`); // a retry
    if (r() < 0.01) predictions.push(`${i},1,0.5,north,extra`); // malformed: a field too many
    if (r() < 0.01) predictions.push(`,1,0.5,north`); // malformed: no id
  }
  for (let i = n - 1; i >= 0; i--) {
    if (r() < 0.1) continue; // not labelled yet
    labels.push(`${i},${r() < 0.02 ? '' : r() < 0.02 ? 'unknown' : truth(i)}`);
    if (r() < 0.03) labels.push(`${i},${truth(i)}`); // labelled twice
    if (r() < 0.03) labels.push(`${n + i},${truth(i)}`); // an orphan
  }
  return { predictions: `${predictions.join('\n')}\n`, labels: `${labels.join('\r\n')}\r\n` };
};

describe('evaluateQualityAtScale', () => {
  it.each<[QualityProblem, number]>([
    ['binary', 3000],
    ['multiclass', 2000],
    ['regression', 2000],
  ])(
    'gives %s figures identical to the in-memory path, in memory and spilled, with the same counts',
    async (problem, n) => {
      // Prepare
      const data = windowOf(problem, n, 14);
      const predictions = write(data.predictions);
      const labels = write(data.labels);
      const expected = await inMemory(predictions, labels, problem, 'region');
      // Act
      const roomy = await atScale(predictions, labels, problem, { columns: { segment: 'region' } });
      const tight = await atScale(predictions, labels, problem, {
        columns: { segment: 'region' },
        maxRowsInMemory: 50,
        fanout: 4,
        bufferBytes: 512,
      });
      // Assess: every figure to the last bit, every count, the same malformed lines (the shared reader reports
      // a chunk's wrong field counts before its missing ids, the scanner in line order)
      expect(expected.evaluation.invalid).toBeGreaterThan(0);
      expect(expected.evaluation.duplicateIds).toBeGreaterThan(0);
      expect(expected.malformed.length).toBeGreaterThan(0);
      for (const run of [roomy, tight]) {
        expect(run.evaluation).toEqual(expected.evaluation);
        expect(JSON.stringify(run.evaluation)).toBe(JSON.stringify(expected.evaluation));
        expect([...run.malformed].sort()).toEqual([...expected.malformed].sort());
        expect(run.readers).toEqual({ predictions: 'fast-csv', labels: 'fast-csv' });
      }
      expect(roomy.join.spilled).toBe(false);
      expect(tight.join.spilled).toBe(true);
      expect(tight.join.peakRowsInMemory).toBeLessThanOrEqual(50);
      if (problem === 'binary') expect(tight.scoresSpilled).toBe(true);
    },
  );

  it('hands a file with a quote deep inside over to the shared reader, reporting each malformed line once', async () => {
    // Prepare: a malformed line, then 500 rows, then a quoted id
    const rows = Array.from({ length: 500 }, (_, i) => `${i},1,0.${(i % 9) + 1}`);
    const predictions = write(`id,prediction,score\n1,2,3,4\n${rows.join('\n')}\n"q,1",1,0.5\n`);
    const labels = write(
      `id,label\n${Array.from({ length: 500 }, (_, i) => `${i},${i % 2}`).join('\n')}\n"q,1",1\n`,
    );
    const expected = await inMemory(predictions, labels, 'binary');
    // Act
    const run = await atScale(predictions, labels, 'binary', { maxRowsInMemory: 20 });
    // Assess
    expect(run.readers).toEqual({ predictions: 'shared', labels: 'shared' });
    expect(run.evaluation).toEqual(expected.evaluation);
    expect(run.malformed).toEqual(expected.malformed);
    expect(run.malformed).toHaveLength(1);
  });

  it('reads gzip CSV, and JSON Lines capture with ground truth through the shared readers, into the same join', async () => {
    // Prepare
    const data = windowOf('binary', 500, 7);
    const predictions = write(gzipSync(data.predictions), 'csv.gz');
    const labels = write(data.labels);
    const expected = await inMemory(predictions, labels, 'binary');
    const capture = 'test/fixtures/model-monitor/monitor--capture.jsonl';
    const actuals = 'test/fixtures/model-monitor/monitor--actuals.jsonl';
    const captureExpected = await inMemory(capture, actuals, 'binary');
    // Act
    const gz = await atScale(predictions, labels, 'binary', { maxRowsInMemory: 40 });
    const monitor = await atScale(capture, actuals, 'binary', { maxRowsInMemory: 3, fanout: 2 });
    // Assess
    expect(gz.readers.predictions).toBe('fast-csv');
    expect(gz.evaluation).toEqual(expected.evaluation);
    expect(monitor.readers).toEqual({ predictions: 'shared', labels: 'shared' });
    expect(monitor.join.spilled).toBe(true);
    expect(monitor.evaluation).toEqual(captureExpected.evaluation);
  });

  it('rejects a predictions file without an id column, naming the file and the column, as the shared reader does', async () => {
    const predictions = write('key,prediction\na,1\n');
    const labels = write('id,label\na,1\n');
    await expect(atScale(predictions, labels, 'binary')).rejects.toThrow(/no column "id"/);
  });
});

interface BinaryCase {
  name: string;
  threshold: number;
  labels: number[];
  scores: number[];
  expected: Record<string, number | null | number[][]>;
}
interface LabelCase {
  name: string;
  yTrue: (string | number)[];
  yPred: (string | number)[];
  expected: Record<string, unknown>;
}
const reference = loadReference<{ binary: BinaryCase[]; multiclass: LabelCase[]; regression: LabelCase[] }>(
  'metrics_reference.json',
);

/** one CSV pair per reference case: ids 0..n-1, labels in reverse order so the join has work to do */
const casePaths = (rows: { prediction: string; score?: string; label: string }[]) => {
  const scored = rows.some((r) => r.score !== undefined);
  const predictions = rows.map((r, i) => `${i},${cell(r.prediction)}${scored ? `,${r.score}` : ''}`);
  const labels = rows.map((r, i) => `${i},${cell(r.label)}`).reverse();
  return {
    predictions: write(`id,prediction${scored ? ',score' : ''}\n${predictions.join('\n')}\n`),
    labels: write(`id,label\n${labels.join('\n')}\n`),
  };
};

const compare = (actual: Record<string, unknown>, expected: Record<string, unknown>) => {
  for (const [name, want] of Object.entries(expected)) {
    if (Array.isArray(want)) expect(actual[name]).toEqual(want);
    else expectClose(actual[name] as number, want as number | null);
  }
};

describe('evaluateQualityAtScale against scikit-learn', () => {
  it.each(reference.binary.map((c) => [c.name, c] as const))('binary %s, spilled', async (_, c) => {
    const paths = casePaths(
      c.scores.map((s, i) => ({
        prediction: String(Number(s >= c.threshold)),
        score: String(s),
        label: String(c.labels[i]),
      })),
    );
    const { evaluation } = await atScale(paths.predictions, paths.labels, 'binary', {
      threshold: c.threshold,
      maxRowsInMemory: 7,
      fanout: 2,
    });
    compare(evaluation.metrics as unknown as Record<string, unknown>, c.expected);
  });

  it.each(reference.multiclass.map((c) => [c.name, c] as const))('multiclass %s, spilled', async (_, c) => {
    const paths = casePaths(c.yTrue.map((y, i) => ({ prediction: String(c.yPred[i]), label: String(y) })));
    const { evaluation } = await atScale(paths.predictions, paths.labels, 'multiclass', {
      maxRowsInMemory: 7,
      fanout: 2,
    });
    compare(evaluation.metrics as unknown as Record<string, unknown>, c.expected);
  });

  it.each(reference.regression.map((c) => [c.name, c] as const))('regression %s, spilled', async (_, c) => {
    const paths = casePaths(c.yTrue.map((y, i) => ({ prediction: String(c.yPred[i]), label: String(y) })));
    const { evaluation } = await atScale(paths.predictions, paths.labels, 'regression', {
      maxRowsInMemory: 7,
      fanout: 2,
    });
    compare(evaluation.metrics as unknown as Record<string, unknown>, c.expected);
  });

  it('matches scikit-learn on the benchmark window of a million predictions, through temporary files', async () => {
    // Prepare: the bench's seeded 1M window (written once, then reused), checked to be the bytes sklearn read
    const at = loadReference<{
      inputs: Record<'predictions' | 'labels', { sha256: string }>;
      rows: number;
      unmatched: { predictions: number; labels: number };
      duplicateIds: number;
      metrics: Record<string, number | number[][]>;
    }>('at_scale_reference.json');
    const [files] = await ensureQualityData(['1m']);
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(sha(files!.predictions)).toBe(at.inputs.predictions.sha256);
    expect(sha(files!.labels)).toBe(at.inputs.labels.sha256);
    // Act: a tenth of the window allowed in memory
    const run = await atScale(files!.predictions, files!.labels, 'binary', { maxRowsInMemory: 100_000 });
    // Assess
    expect(run.join.spilled).toBe(true);
    expect(run.scoresSpilled).toBe(true);
    expect(run.join.peakRowsInMemory).toBeLessThanOrEqual(100_000);
    expect(run.evaluation.rows).toBe(at.rows);
    expect(run.evaluation.unmatched).toEqual(at.unmatched);
    expect(run.evaluation.duplicateIds).toBe(at.duplicateIds);
    compare(run.evaluation.metrics as unknown as Record<string, unknown>, at.metrics);
  }, 300_000);
});
