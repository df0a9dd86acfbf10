import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyModelMonitorBaseline, runCli, splitSeattleWeather, tempDir } from '../support/run-cli.ts';

const FIXTURES = 'test/fixtures/model-monitor';

/** what every bad-input run must look like: exit 2, one line naming the problem, no stack trace */
const expectInputError = (result: ReturnType<typeof runCli>, pattern: RegExp) => {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
};

describe('model-care CLI', () => {
  let dir: string;
  let years: Record<string, string>;

  beforeAll(() => {
    dir = tempDir();
    years = splitSeattleWeather(dir);
  });

  it('writes a baseline that reproduces Model Monitor statistics', () => {
    const out = join(dir, 'mm-baseline');
    const result = runCli([
      'baseline',
      '--input',
      `${FIXTURES}/data_quality--baseline_dataset.csv`,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('baseline of 100 rows x 6 features');
    const ours = JSON.parse(readFileSync(join(out, 'statistics.json'), 'utf8'));
    const theirs = JSON.parse(readFileSync(`${FIXTURES}/data_quality--statistics.json`, 'utf8'));
    expect(
      ours.features.map((f: { numerical_statistics: { sum: number } }) => f.numerical_statistics.sum),
    ).toEqual(
      theirs.features.map((f: { numerical_statistics: { sum: number } }) => f.numerical_statistics.sum),
    );
    expect(JSON.parse(readFileSync(join(out, 'constraints.json'), 'utf8')).features).toHaveLength(6);
  });

  it('checks seattle-weather 2015 against a 2012 baseline: JSON report, files, exit code', () => {
    const baseline = join(dir, 'seattle-baseline');
    expect(runCli(['baseline', '-i', years['2012']!, '-o', baseline, '--exclude', 'date']).code).toBe(0);
    const out = join(dir, 'seattle-report');
    const result = runCli([
      'check',
      '--baseline',
      baseline,
      '--current',
      years['2015']!,
      '--exclude',
      'date',
      '--out',
      out,
      '--json',
      '--fail-on-violation',
    ]);
    const report = JSON.parse(result.stdout);
    expect(report.dataset.rowsBaseline).toBe(366);
    expect(report.dataset.rowsCurrent).toBe(365);
    expect(report.features.map((f: { name: string }) => f.name)).toEqual([
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ]);
    for (const feature of report.features) {
      expect(feature).toHaveProperty('metrics');
      expect(typeof feature.statistic).toBe('number');
      expect(typeof feature.drifted).toBe('boolean');
    }
    // 2015 was a hot year in Seattle: temperatures drift, and weather's labels changed too
    const drifted = report.features
      .filter((f: { drifted: boolean }) => f.drifted)
      .map((f: { name: string }) => f.name);
    expect(drifted).toContain('temp_max');
    expect(result.code).toBe(report.violations.length > 0 || report.dataset.drifted ? 1 : 0);
    const violations = JSON.parse(readFileSync(join(out, 'constraint_violations.json'), 'utf8'));
    expect(violations.violations).toEqual(report.violations);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(report);
  });

  it('prints a readable table by default', () => {
    const baseline = copyModelMonitorBaseline(tempDir());
    const result = runCli(['check', '-b', baseline, '-c', `${FIXTURES}/data_quality--baseline_dataset.csv`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^no dataset drift: 0 of 6 features drifted/);
    expect(result.stdout).toMatch(/_c0\s+numerical\s+ks\s+0\.0000\s+1\.0000/);
    expect(result.stdout).toContain('no constraint violations');
  });

  it('analyses the good records of a capture file and reports the malformed ones', () => {
    const capture = join(dir, 'capture.jsonl');
    const good = readFileSync(`${FIXTURES}/monitor--capture.jsonl`, 'utf8').trim().split('\n');
    const lines = [...good.slice(0, 20), '{"captureData": truncated', ...good.slice(20)];
    writeFileSync(capture, `${lines.join('\n')}\n`);
    const baseline = join(dir, 'capture-baseline');
    expect(runCli(['baseline', '-i', `${FIXTURES}/monitor--capture.jsonl`, '-o', baseline, '-q']).code).toBe(
      0,
    );
    const result = runCli(['check', '-b', baseline, '-c', capture, '--json', '-q']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    // 44 records: the fixture's last line has no newline, so `wc -l` says 43
    expect(report.dataset.rowsCurrent).toBe(44);
    expect(report.dataset.malformedRecords).toBe(1);
    expect(report.malformedSamples[0]).toMatch(/capture\.jsonl:21: malformed JSON/);
  });

  it('fails with exit 2 and one line when the baseline directory has no statistics.json', () => {
    expectInputError(
      runCli(['check', '-b', join(dir, 'nowhere'), '-c', years['2015']!]),
      /statistics\.json: no such file/,
    );
  });

  it('fails with exit 2 on an empty input file', () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expectInputError(runCli(['baseline', '-i', empty, '-o', join(dir, 'x')]), /empty\.csv: empty input/);
  });

  it('fails with exit 2 when the window does not fit the baseline schema', () => {
    const baseline = copyModelMonitorBaseline(tempDir());
    expectInputError(
      runCli(['check', '-b', baseline, '-c', `${FIXTURES}/monitor--capture.jsonl`]),
      /monitor--capture\.jsonl:1 field "captureData\.endpointInput\.data": schema gives 6 names but the data has 7 fields/,
    );
  });

  it('fails with exit 2 on an unknown method, listing the choices', () => {
    const result = runCli(['check', '-b', dir, '-c', dir, '--method', 'magic']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are auto, ks, wasserstein/);
  });
});

describe('model-care quality', () => {
  it("reports scikit-learn's metrics for Model Monitor's capture and ground truth as JSON", () => {
    const reference = JSON.parse(readFileSync('test/reference/labels/capture-quality.json', 'utf8'));
    const result = runCli([
      'quality',
      '--predictions',
      `${FIXTURES}/monitor--capture.jsonl`,
      '--labels',
      `${FIXTURES}/monitor--actuals.jsonl`,
      '--problem',
      'binary',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.problem).toBe('binary');
    expect(output.rows).toBe(reference.rows);
    expect(output.unmatched).toEqual({ predictions: 0, labels: 0 });
    expect(output.metrics.aucRoc).toBeCloseTo(reference.metrics.aucRoc, 12);
    expect(output.metrics.confusionMatrix).toEqual(reference.metrics.confusionMatrix);
  });

  it('fails with exit 2 when the predictions lack an id column', () => {
    const dir = tempDir();
    const predictions = join(dir, 'p.csv');
    writeFileSync(predictions, 'key,prediction\na,1\n');
    const labels = join(dir, 'l.csv');
    writeFileSync(labels, 'id,label\na,1\n');
    expectInputError(
      runCli(['quality', '-p', predictions, '-l', labels, '--problem', 'binary']),
      /p\.csv field "id": no column "id" \(columns: key, prediction\)/,
    );
  });

  it('gives the same JSON through temporary files as in memory (--memory-rows, --spill-dir)', () => {
    const dir = tempDir();
    const predictions = join(dir, 'p.csv');
    const rows = Array.from({ length: 400 }, (_, i) => `${i},${i % 2},0.${String(i % 97).padStart(2, '0')}`);
    writeFileSync(predictions, `id,prediction,score\n${rows.join('\n')}\n`);
    const labels = join(dir, 'l.csv');
    const truths = Array.from({ length: 380 }, (_, i) => `${399 - i},${(i * 7) % 3 === 0 ? 1 : 0}`);
    writeFileSync(labels, `id,label\n${truths.join('\n')}\n900,1\n`);
    const args = ['quality', '-p', predictions, '-l', labels, '--problem', 'binary', '--json'];
    const roomy = runCli(args);
    const tight = runCli([...args, '--memory-rows', '10', '--spill-dir', dir]);
    expect(roomy.code).toBe(0);
    expect(tight.code).toBe(0);
    expect(tight.stdout).toBe(roomy.stdout);
    expect(JSON.parse(roomy.stdout).unmatched).toEqual({ predictions: 20, labels: 1 });
    // the temporary files are gone
    expect(readdirSync(dir).sort()).toEqual(['l.csv', 'p.csv']);
  });

  it('rejects a --memory-rows that is not a positive integer, with exit 2', () => {
    const result = runCli([
      'quality',
      '-p',
      'p.csv',
      '-l',
      'l.csv',
      '--problem',
      'binary',
      '--memory-rows',
      '0',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"0" is not a positive integer/);
  });
});
