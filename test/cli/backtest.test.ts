import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestJson } from '../../cli/backtest-command.ts';
import { mulberry32 } from '../support/random.ts';
import { runCli, tempDir } from '../support/run-cli.ts';

// A seeded history: a logistic number and a colour, 60 windows of 150 rows, the number shifted by 1.2
// (KS distance tanh(0.3) = 0.29) from window 30 on; window 10 is an empty file.
const WINDOWS = 60;
const SHIFT_AT = 30;
const EMPTY = 10;

const expectInputError = (result: ReturnType<typeof runCli>, pattern: RegExp) => {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
};

describe('model-care backtest', () => {
  let dir: string;
  let baseline: string;
  let history: string;
  let timed: string;
  let byFile: BacktestJson;

  beforeAll(() => {
    dir = tempDir();
    const rng = mulberry32(5);
    const logistic = () => {
      const u = rng();
      return Math.log(u / (1 - u));
    };
    const row = (shift: number) => `${(logistic() + shift).toFixed(5)},${rng() < 0.6 ? 'a' : 'b'}`;
    writeFileSync(
      join(dir, 'train.csv'),
      `x,colour\n${Array.from({ length: 20_000 }, () => row(0)).join('\n')}\n`,
    );
    baseline = join(dir, 'baseline');
    expect(runCli(['baseline', '-i', join(dir, 'train.csv'), '-o', baseline, '-q']).code).toBe(0);
    history = join(dir, 'history');
    mkdirSync(history);
    const timedRows: string[] = ['time,x,colour'];
    for (let w = 0; w < WINDOWS; w++) {
      const rows = w === EMPTY ? [] : Array.from({ length: 150 }, () => row(w >= SHIFT_AT ? 1.2 : 0));
      writeFileSync(
        join(history, `w${String(w).padStart(3, '0')}.csv`),
        rows.length ? `x,colour\n${rows.join('\n')}\n` : '',
      );
      rows.forEach((r, i) => {
        const at = new Date(Date.UTC(2026, 0, 1) + w * 3_600_000 + i * 20_000).toISOString();
        timedRows.push(`${at},${r}`);
      });
    }
    timed = join(dir, 'timed.csv');
    writeFileSync(timed, `${timedRows.join('\n')}\n`);
    const result = runCli([
      'backtest',
      '--baseline',
      baseline,
      '--current',
      history,
      '--window',
      'file',
      '--json',
      '-q',
    ]);
    expect(result.code).toBe(0);
    byFile = JSON.parse(result.stdout) as BacktestJson;
  });

  it('prints the windows as JSON: today’s per-window verdict beside the sequential one', () => {
    // Act
    const result = runCli([
      'backtest',
      '--baseline',
      baseline,
      '--current',
      history,
      '--window',
      'file',
      '--json',
      '-q',
    ]);

    // Assess
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as BacktestJson;
    expect(Object.keys(json)).toEqual(['formatVersion', 'windows', 'firstAlarm']);
    expect(json.windows).toHaveLength(WINDOWS);
    expect(Object.keys(json.windows[0]!)).toEqual(['index', 'name', 'rows', 'drifted', 'alarm', 'features']);
    expect(json.windows[0]).toMatchObject({ index: 0, name: 'w000.csv', rows: 150, alarm: false });
    expect(json.windows[0]!.features.map((f) => Object.keys(f))).toEqual([
      ['name', 'evidence', 'alarm'],
      ['name', 'evidence', 'alarm'],
    ]);
    // the sequential verdict alarms after the shift, on x, within a day of windows, and never before it
    expect(json.firstAlarm).not.toBeNull();
    expect(json.firstAlarm!).toBeGreaterThanOrEqual(SHIFT_AT);
    expect(json.firstAlarm!).toBeLessThan(SHIFT_AT + 24);
    const first = json.windows[json.firstAlarm!]!;
    expect(first.features.find((f) => f.name === 'x')).toMatchObject({ alarm: true });
    expect(first.features.find((f) => f.name === 'colour')).toMatchObject({ alarm: false });
    // today's verdict flags the shifted windows one by one
    expect(json.windows.slice(SHIFT_AT).filter((w) => w.drifted).length).toBeGreaterThan(
      WINDOWS - SHIFT_AT - 5,
    );
  });

  it('leaves the evidence unchanged by an empty window, and says so', () => {
    const json = byFile;
    expect(json.windows[EMPTY]).toMatchObject({ rows: 0, drifted: false, alarm: false });
    expect(json.windows[EMPTY]!.features).toEqual(json.windows[EMPTY - 1]!.features);

    const table = runCli(['backtest', '-b', baseline, '-c', history, '-q']).stdout;
    expect(table).toMatch(/^10\s+w010\.csv\s+0\s+-\s+no rows: evidence unchanged/m);
    expect(table).toMatch(
      /60 window\(s\); per-window check drifted in \d+; sequential verdict alarmed first at window \d+ \(w0\d\d\.csv\): x/,
    );
  });

  it('splits one file into hourly windows by its time field, with the same verdicts', () => {
    const byFile = JSON.parse(
      runCli(['backtest', '-b', baseline, '-c', history, '--json', '-q']).stdout,
    ) as BacktestJson;
    const result = runCli([
      'backtest',
      '-b',
      baseline,
      '-c',
      timed,
      '--window',
      '1h',
      '--time-field',
      'time',
      '--json',
      '-q',
    ]);
    expect(result.code).toBe(0);
    const byTime = JSON.parse(result.stdout) as BacktestJson;
    expect(byTime.windows).toHaveLength(WINDOWS);
    expect(byTime.windows[0]!.name).toBe('2026-01-01T00:00:00Z');
    expect(byTime.windows[EMPTY]!.rows).toBe(0);
    expect(byTime.windows.map((w) => [w.rows, w.alarm, w.features])).toEqual(
      byFile.windows.map((w) => [w.rows, w.alarm, w.features]),
    );
    expect(byTime.firstAlarm).toBe(byFile.firstAlarm);
  });

  it('exits 1 with --fail-on-violation once the sequential verdict alarms', () => {
    expect(runCli(['backtest', '-b', baseline, '-c', history, '-q', '--fail-on-violation']).code).toBe(1);
  });

  it.each([
    [['--relevance', '1.5'], /--relevance: 1\.5 is outside \(0, 1\)/],
    [['--alpha', '0.7'], /--alpha: 0\.7 is outside \(0, 0\.5\]/],
    [['--window', 'weekly'], /--window: "weekly" is not "file" or a duration/],
  ])('rejects %s with one line naming the setting', (flags, message) => {
    expectInputError(runCli(['backtest', '-b', baseline, '-c', history, '-q', ...flags]), message);
  });

  it('rejects a time split without a time field for CSV', () => {
    expectInputError(
      runCli(['backtest', '-b', baseline, '-c', timed, '--window', '1h', '-q']),
      /--time-field is required to split CSV or JSON Lines input by time/,
    );
  });

  it('judges each hourly window against its own hour of day with --seasonality', () => {
    // the baseline's own rows with their times: the history's first 24 hours (150 rows an hour: too few per slot)
    const result = runCli([
      'backtest',
      '-b',
      baseline,
      '-c',
      timed,
      '--window',
      '1h',
      '--time-field',
      'time',
      '-q',
      '--seasonality',
      'hour-of-day',
      '--baseline-data',
      timed,
    ]);
    expectInputError(
      result,
      /--seasonality: "hour-of-day": slot 00h holds \d+ reference rows, fewer than the minimum 10000/,
    );
    const seasonal = runCli([
      'backtest',
      '-b',
      baseline,
      '-c',
      timed,
      '--window',
      '1h',
      '--time-field',
      'time',
      '--json',
      '-q',
      '--seasonality',
      'hour-of-day',
      '--baseline-data',
      timed,
      '--min-slot-rows',
      '100',
    ]);
    expect(seasonal.code).toBe(0);
    const json = JSON.parse(seasonal.stdout) as BacktestJson;
    // the slot mix is judged beside the features
    expect(json.windows[0]!.features.map((f) => f.name)).toEqual(['x', 'colour', '(slot mix)']);
  });

  it('rejects --seasonality without the baseline’s timed rows, naming the setting', () => {
    expectInputError(
      runCli(['backtest', '-b', baseline, '-c', history, '-q', '--seasonality', 'hour-of-day']),
      /--seasonality: "hour-of-day" needs --baseline-data/,
    );
  });
});
