/**
 * `npm run bench` (verdicts section; alone: `npx tsx bench/verdicts.ts [--quick]`): the simulations of
 * docs/verdicts.md at bench scale (>= 1,000 streams x 720 windows where the suite runs 200), the choice of the
 * relevance margin δ, sketch pairs up to 10^7 rows, and `model-care backtest` on 240 windows x 200 rows.
 * Writes bench/verdicts-results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KllSketch } from '../functions/engine/sketch/kll-sketch.ts';
import { ksStatistic } from '../functions/engine/stats/ks.ts';
import { ksPValueAsymptotic } from '../functions/engine/stats/ks-asymptotic.ts';
import { sketchAwareKsPValue } from '../functions/engine/verdicts/sketch-ks.ts';
import { type VerdictSettings, verdictSettings } from '../functions/engine/verdicts/verdict-settings.ts';
import { correlatedStreams } from '../test/engine/verdicts/support/correlated.ts';
import { runDiurnal } from '../test/engine/verdicts/support/diurnal.ts';
import { simulateStream } from '../test/engine/verdicts/support/simulate.ts';
import { median, rngFor } from '../test/engine/verdicts/support/streams.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const quick = process.argv.includes('--quick');
const STREAMS = quick ? 200 : 1_000;
const WINDOWS = 720;
const log = (line: string) => process.stderr.write(`${line}\n`);
const results: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  streams: STREAMS,
  windows: WINDOWS,
};

const share = (hits: number, n: number) => ({
  rate: hits / n,
  se: Math.sqrt(((hits / n) * (1 - hits / n)) / n),
});

/** false alarms of the sequential verdict and of today's per-window test over `STREAMS` streams */
const nullRates = (settings: VerdictSettings, distance: number, copies = 1, naive = true) => {
  let sequential = 0;
  let perWindow = 0;
  for (let s = 0; s < STREAMS; s++) {
    const o = simulateStream(
      { windows: WINDOWS, rows: 100, distance, shiftAt: 0, copies, referenceRows: 100_000, naive },
      settings,
      rngFor(1_000_003 + s),
    );
    if (o.alarmAt !== null) sequential += 1;
    if (o.naiveAt !== null) perWindow += 1;
  }
  return { sequential: share(sequential, STREAMS), perWindow: naive ? share(perWindow, STREAMS) : null };
};

/** median detection delay of a shift from window 200, and how many streams never alarmed */
const delay = (settings: VerdictSettings, distance: number, rows: number, streams = STREAMS) => {
  const found: number[] = [];
  let early = 0;
  for (let s = 0; s < streams; s++) {
    const o = simulateStream(
      { windows: WINDOWS, rows, distance, shiftAt: 200, referenceRows: 100_000 },
      settings,
      rngFor(2_000_003 + s),
    );
    if (o.alarmAt === null) continue;
    if (o.alarmAt < 200) early += 1;
    else found.push(o.alarmAt - 199);
  }
  return { median: found.length ? median(found) : null, found: found.length, early, streams };
};

const timed = <T>(label: string, work: () => T): T => {
  const started = Date.now();
  const value = work();
  log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
};

// ---- null and boundary, side by side with today's per-window verdict ----
const defaults = verdictSettings();
results.null = timed('null and boundary', () => ({
  stationary: nullRates(defaults, 0),
  boundary: nullRates(defaults, defaults.relevance),
  duplicatedHour: nullRates(defaults, 0, 100, false),
  duplicatedRecord: nullRates(verdictSettings({ level: 'record' }), 0, 100, false),
  stationaryRecord: nullRates(verdictSettings({ level: 'record' }), 0, 1, false),
}));

// ---- detection delays ----
results.power = timed('detection delays', () => ({
  'ks0.15@100': {
    hour: delay(defaults, 0.15, 100),
    record: delay(verdictSettings({ level: 'record' }), 0.15, 100),
  },
  'ks0.30@200': {
    hour: delay(defaults, 0.3, 200),
    record: delay(verdictSettings({ level: 'record' }), 0.3, 200),
  },
  'ks0.06@100': {
    hour: delay(defaults, 0.06, 100),
    record: delay(verdictSettings({ level: 'record' }), 0.06, 100),
  },
  'ks0.06@200': {
    hour: delay(defaults, 0.06, 200),
    record: delay(verdictSettings({ level: 'record' }), 0.06, 200),
  },
}));

// ---- the relevance margin δ: what each choice alarms on, and how fast ----
const SWEEP = quick ? 100 : 300;
results.relevanceSweep = timed('relevance sweep', () =>
  [0.01, 0.02, 0.03, 0.05].map((relevance) => {
    const settings = verdictSettings({ relevance });
    // how often a small, steady difference from the reference alarms within the month
    const alarmsOn = (distance: number) => {
      let alarms = 0;
      for (let s = 0; s < SWEEP; s++) {
        const o = simulateStream(
          { windows: WINDOWS, rows: 100, distance, shiftAt: 0, referenceRows: 100_000 },
          settings,
          rngFor(3_000_003 + s),
        );
        if (o.alarmAt !== null) alarms += 1;
      }
      return share(alarms, SWEEP);
    };
    return {
      relevance,
      alarmsOnKs002: alarmsOn(0.02),
      alarmsOnKs004: alarmsOn(0.04),
      delayKs006: delay(settings, 0.06, 100, SWEEP),
      delayKs015: delay(settings, 0.15, 100, SWEEP),
    };
  }),
);

// ---- many correlated features: FDR at the first alarm ----
results.dependence = timed('correlated features', () => {
  const { proportions, alarmed } = correlatedStreams(STREAMS, 7_000_003);
  const fdr = proportions.reduce((a, b) => a + b, 0) / STREAMS;
  const sd = Math.sqrt(proportions.reduce((a, b) => a + (b - fdr) ** 2, 0) / (STREAMS - 1));
  return {
    features: 50,
    unchanged: 45,
    rho: 0.5,
    fdr,
    se: sd / Math.sqrt(STREAMS),
    alarmed: share(alarmed, STREAMS),
  };
});

// ---- diurnal traffic: hour-of-day reference against the pooled one ----
results.seasonal = timed('seasonal', () => {
  let contextual = 0;
  let pooled = 0;
  const nightDelays: number[] = [];
  for (let s = 0; s < STREAMS; s++) {
    if (runDiurnal(8_000_003 + s, true) !== null) contextual += 1;
    if (runDiurnal(8_000_003 + s, false) !== null) pooled += 1;
    const at = runDiurnal(9_000_003 + s, true, {
      from: 240,
      hours: (h) => h <= 6,
      shift: 4 * Math.atanh(0.15),
    });
    if (at !== null && at >= 240) nightDelays.push(at - 239);
  }
  return {
    hourOfDay: share(contextual, STREAMS),
    pooled: share(pooled, STREAMS),
    nightShiftKs015: {
      found: nightDelays.length,
      medianWindows: nightDelays.length ? median(nightDelays) : null,
    },
  };
});

// ---- sketch-aware KS p-values up to 10^7 rows per side (merged chunk sketches) ----
results.sketch = timed('sketch pairs', () => {
  const sizes: [number, number][] = quick
    ? [[1_000_000, 100_000]]
    : [
        [1_000_000, 100_000],
        [10_000_000, 100_000],
      ];
  return sizes.map(([n, chunk]) => {
    const rng = rngFor(n);
    const chunks = n / chunk;
    const pool = Array.from({ length: 2 * chunks + 20 }, (_, i) => {
      const sketch = new KllSketch(2048, 0.64, 50_000 + i);
      for (let j = 0; j < chunk; j++) sketch.update(rng());
      return sketch;
    });
    let adjusted = 0;
    let naive = 0;
    const pairs = 200;
    for (let p = 0; p < pairs; p++) {
      const order = pool.map((_, i) => i).sort(() => rng() - 0.5);
      const side = (from: number, seed: number) => {
        const sketch = new KllSketch(2048, 0.64, seed);
        for (const i of order.slice(from, from + chunks)) sketch.merge(pool[i]!);
        return sketch;
      };
      const a = side(0, 2 * p + 1);
      const b = side(chunks, 2 * p + 2);
      const d = ksStatistic(a.toWeightedSample(), b.toWeightedSample());
      if (sketchAwareKsPValue(d, { n: a.n, exact: false }, { n: b.n, exact: false }) <= 0.05) adjusted += 1;
      if (ksPValueAsymptotic(d, a.n, b.n) <= 0.05) naive += 1;
    }
    return { rowsPerSide: n, pairs, adjusted: share(adjusted, pairs), naive: share(naive, pairs) };
  });
});

// ---- model-care backtest: 240 windows x 200 rows ----
results.backtest = timed('backtest', () => {
  const dir = join(BENCH_DIR, 'data', 'backtest');
  mkdirSync(join(dir, 'windows'), { recursive: true });
  const rng = rngFor(42);
  const logistic = () => {
    const u = rng();
    return Math.log(u / (1 - u));
  };
  const row = (shift: number) =>
    `${(logistic() + shift).toFixed(5)},${(logistic() * 2).toFixed(5)},${rng() < 0.6 ? 'a' : 'b'}`;
  writeFileSync(
    join(dir, 'train.csv'),
    `x,y,colour\n${Array.from({ length: 20_000 }, () => row(0)).join('\n')}\n`,
  );
  for (let w = 0; w < 240; w++) {
    const rows = Array.from({ length: 200 }, () => row(w >= 120 ? 0.6 : 0));
    writeFileSync(
      join(dir, 'windows', `w${String(w).padStart(3, '0')}.csv`),
      `x,y,colour\n${rows.join('\n')}\n`,
    );
  }
  const cli = (args: string[]) =>
    execFileSync(process.execPath, ['bin/model-care-cli.js', ...args], { encoding: 'utf8' });
  cli(['baseline', '-i', join(dir, 'train.csv'), '-o', join(dir, 'baseline'), '-q']);
  const runs: number[] = [];
  let firstAlarm: number | null = null;
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const out = cli(['backtest', '-b', join(dir, 'baseline'), '-c', join(dir, 'windows'), '--json', '-q']);
    runs.push(Date.now() - started);
    firstAlarm = JSON.parse(out).firstAlarm;
  }
  return {
    windows: 240,
    rowsPerWindow: 200,
    bestMs: Math.min(...runs),
    runsMs: runs,
    firstAlarm,
    targetMs: 10_000,
  };
});

writeFileSync(join(BENCH_DIR, 'verdicts-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 1));
console.log('wrote bench/verdicts-results.json');
