import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, copyModelMonitorBaseline, runCli, tempDir } from '../support/run-cli.ts';

/** Issue 11, items 4-7: what a careless or hostile producer's input does to the CLI, run as a user runs it. */

const GOOD = 'x,cat,n\n1.5,a,1\n2.5,b,2\n3.5,a,3\n4.5,b,4\n5.5,a,5\n';

/** exit 2, one line naming the problem, no stack trace */
const expectInputError = (result: CliResult, pattern: RegExp) => {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
};

interface Feature {
  name: string;
  malformedValues: number;
  currentCount: number;
}
interface Report {
  dataset: {
    rowsCurrent: number;
    malformedRecords: number;
    malformedValues: number;
    unreadableFiles: number;
  };
  features: Feature[];
  malformedSamples: string[];
  unreadableSamples: string[];
}

let dir: string;
let baseline: string;
const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const checkJson = (current: string, ...flags: string[]): { result: CliResult; report: Report } => {
  const result = runCli(['check', '-b', baseline, '-c', current, '--json', '-q', ...flags]);
  return { result, report: result.code === 0 ? (JSON.parse(result.stdout) as Report) : ({} as Report) };
};
const feature = (report: Report, name: string): Feature => report.features.find((f) => f.name === name)!;

beforeAll(() => {
  dir = tempDir('model-care-input-safety-');
  baseline = join(dir, 'baseline');
  expect(runCli(['baseline', '-i', file('good.csv', GOOD), '-o', baseline, '-q']).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('4. non-finite numbers', () => {
  it('checks a window holding 1e309: every row analysed, the value counted for its feature and listed', () => {
    const { result, report } = checkJson(file('inf.csv', GOOD.replace('2.5,b,2', '1e309,b,2')));
    expect(result.code).toBe(0);
    expect(report.dataset).toMatchObject({ rowsCurrent: 5, malformedRecords: 0, malformedValues: 1 });
    expect(feature(report, 'x')).toMatchObject({ malformedValues: 1, currentCount: 4 });
    expect(feature(report, 'n')).toMatchObject({ malformedValues: 0, currentCount: 5 });
    expect(report.malformedSamples).toEqual([
      expect.stringMatching(/inf\.csv:3 field "x": "1e309": not a finite number, value skipped$/),
    ]);
  });

  it("checks a JSON Lines window whose number overflows, one spelling Infinity and one with Python's NaN", () => {
    const jsonl = file(
      'inf.jsonl',
      '{"x":1e309,"cat":"a","n":1}\n{"x":2.5,"cat":"b","n":2}\n{"x":"-Infinity","cat":"a","n":3}\n' +
        '{"x": NaN, "cat": "b", "n": 4}\n',
    );
    const { result, report } = checkJson(jsonl);
    expect(result.code).toBe(0);
    expect(report.dataset).toMatchObject({ rowsCurrent: 4, malformedRecords: 0, malformedValues: 3 });
    expect(feature(report, 'x')).toMatchObject({ malformedValues: 3, currentCount: 1 });
    expect(feature(report, 'n')).toMatchObject({ malformedValues: 0, currentCount: 4 });
  });

  it('writes a baseline of only finite numbers, its figures those of the other values', () => {
    const out = join(dir, 'baseline-inf');
    const text = 'x,n\n1.5,1\n1e309,2\n3.5,NaN\n-1e309,4\nInfinity,5\n5.5,inf\n';
    const result = runCli(['baseline', '-i', file('inf-train.csv', text), '-o', out, '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('5 malformed value(s) skipped, first ones:');
    expect(result.stderr).toContain('inf-train.csv:3 field "x": "1e309": not a finite number, value skipped');
    const written = readFileSync(join(out, 'statistics.json'), 'utf8');
    expect(written).not.toContain('null');
    const [x, n] = JSON.parse(written).features;
    const good = [1.5, 3.5, 5.5];
    expect(x.numerical_statistics).toMatchObject({
      common: { num_present: 3, num_missing: 3 },
      sum: 10.5,
      mean: 3.5,
      min: 1.5,
      max: 5.5,
    });
    expect(x.numerical_statistics.std_dev).toBeCloseTo(
      Math.sqrt(good.reduce((s, v) => s + (v - 3.5) ** 2, 0) / good.length),
      14,
    );
    expect(n.numerical_statistics).toMatchObject({ sum: 12, min: 1, max: 5 });
    // and `check` takes the baseline it wrote
    expect(runCli(['check', '-b', out, '-c', file('w.csv', 'x,n\n2,3\n'), '-q']).code).toBe(0);
  });
});

describe('5. one bad record does not sink a file', () => {
  it('skips the line holding a stray quote and analyses the others', () => {
    const { result, report } = checkJson(file('stray.csv', GOOD.replace('2.5,b,2', '2.5,b"x,2')));
    expect(result.code).toBe(0);
    expect(report.dataset).toMatchObject({ rowsCurrent: 4, malformedRecords: 1 });
    expect(report.malformedSamples[0]).toMatch(/stray\.csv:3: stray quote in an unquoted field/);
  });

  it('gives back the lines a quote that never closes swallowed', () => {
    const { report } = checkJson(file('open-quote.csv', GOOD.replace('2.5,b,2', '2.5,"b,2')));
    expect(report.dataset).toMatchObject({ rowsCurrent: 4, malformedRecords: 1 });
    expect(report.malformedSamples[0]).toMatch(/open-quote\.csv:3: unterminated quoted field/);
  });

  it('skips a truncated .gz among several files, naming it, and analyses the rest', () => {
    const window = join(dir, 'window');
    file('window/a.csv', GOOD);
    file('window/b.csv.gz', gzipSync(GOOD).subarray(0, 40));
    file('window/c.csv.gz', gzipSync(GOOD));
    const { result, report } = checkJson(window);
    expect(result.code).toBe(0);
    expect(report.dataset).toMatchObject({ rowsCurrent: 10, unreadableFiles: 1 });
    expect(report.unreadableSamples).toEqual([expect.stringMatching(/window\/b\.csv\.gz: cannot gunzip/)]);
    const table = runCli(['check', '-b', baseline, '-c', window, '-q']);
    expect(table.stdout).toMatch(/1 unreadable file\(s\) skipped:\n\s+.*b\.csv\.gz: cannot gunzip/);
  });

  it('builds a baseline from the readable files of a directory, listing the one it skipped', () => {
    const result = runCli(['baseline', '-i', join(dir, 'window'), '-o', join(dir, 'baseline-dir'), '-q']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('baseline of 10 rows x 3 features from 2 csv file(s)');
    expect(result.stderr).toMatch(/1 unreadable file\(s\) skipped:\n\s+.*b\.csv\.gz: cannot gunzip/);
  });

  it('fails with one line when no file of a directory can be read', () => {
    file('broken/a.csv.gz', gzipSync(GOOD).subarray(0, 30));
    file('broken/b.csv', '');
    expectInputError(
      runCli(['check', '-b', baseline, '-c', join(dir, 'broken'), '-q']),
      /broken: nothing usable: all 2 files are unreadable \(first: .*a\.csv\.gz: cannot gunzip/,
    );
  });

  it('fails with one line when every record is malformed', () => {
    expectInputError(
      runCli(['check', '-b', baseline, '-c', file('all-bad.csv', 'x,cat,n\n1,a"\n2\n'), '-q']),
      /all-bad\.csv: nothing usable: no row could be read \(2 malformed record\(s\) skipped, first: .*all-bad\.csv:2: stray quote/,
    );
  });
});

describe('6. empty or absurd baselines', () => {
  it('refuses to write a baseline of a header-only file, and writes nothing', () => {
    const out = join(dir, 'baseline-empty');
    expectInputError(
      runCli(['baseline', '-i', file('header-only.csv', 'x,cat,n\n'), '-o', out, '-q']),
      /header-only\.csv: no rows to build a baseline from: nothing written$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to judge against a 0-row baseline, with --fail-on-violation too', () => {
    // what the CLI used to write for a header-only file
    const empty = join(dir, 'zero');
    const statistics = JSON.parse(readFileSync(join(baseline, 'statistics.json'), 'utf8'));
    statistics.dataset.item_count = 0;
    statistics.features = statistics.features.map((f: { name: string }) => ({
      name: f.name,
      inferred_type: 'Unknown',
      string_statistics: { common: { num_present: 0, num_missing: 0 } },
    }));
    file('zero/statistics.json', JSON.stringify(statistics));
    file('zero/constraints.json', readFileSync(join(baseline, 'constraints.json')));
    expectInputError(
      runCli(['check', '-b', empty, '-c', join(dir, 'good.csv'), '--fail-on-violation', '-q']),
      /zero\/statistics\.json field "dataset\.item_count": the baseline has 0 rows: nothing to judge a window against/,
    );
  });

  it("refuses to judge against Model Monitor's statistics of an empty dataset", () => {
    const mm = copyModelMonitorBaseline(tempDir());
    const path = join(mm, 'statistics.json');
    const statistics = JSON.parse(readFileSync(path, 'utf8'));
    statistics.dataset.item_count = 0;
    writeFileSync(path, JSON.stringify(statistics));
    expectInputError(
      runCli([
        'check',
        '-b',
        mm,
        '-c',
        'test/fixtures/model-monitor/data_quality--baseline_dataset.csv',
        '-q',
      ]),
      /statistics\.json field "dataset\.item_count": the baseline has 0 rows/,
    );
  });

  it('skips a 64 MiB line without a newline under a 40 MiB heap, and analyses the rows around it', () => {
    const path = join(dir, 'huge-line.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, 'x,cat,n\n1.5,a,1\n');
    const block = Buffer.alloc(1024 * 1024, 'y');
    for (let i = 0; i < 64; i++) writeSync(fd, block);
    writeSync(fd, '\n2.5,b,2\n3.5,a,3\n');
    closeSync(fd);
    const out = join(dir, 'baseline-huge');
    const result = runCli(
      ['baseline', '-i', path, '-o', out, '-q', '--max-line-length', String(1024 * 1024)],
      undefined,
      ['--max-old-space-size=40'],
    );
    rmSync(path);
    expect(result.stderr).toContain('baseline of 3 rows x 3 features');
    expect(result.stderr).toContain('huge-line.csv:3: record longer than the 1048576-character limit');
    expect(result.code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(out, 'statistics.json'), 'utf8')).features[0].numerical_statistics.sum,
    ).toBe(7.5);
  });

  it('writes no baseline from a 50 MB line that is all there is', () => {
    const path = join(dir, 'only-line.csv');
    const fd = openSync(path, 'w');
    const block = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    closeSync(fd);
    const out = join(dir, 'baseline-only-line');
    const result = runCli(['baseline', '-i', path, '-o', out, '-q', '--max-line-length', '4194304']);
    rmSync(path);
    expectInputError(
      result,
      /only-line\.csv: empty input: no records \(1 malformed record\(s\) skipped, first: .*only-line\.csv:1: record longer than the 4194304-character limit/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a header name over --max-name-length, naming the column; a larger cap takes it', () => {
    const long = 'n'.repeat(300);
    const path = file('long-name.csv', `x,${long}\n1,2\n`);
    expectInputError(
      runCli(['baseline', '-i', path, '-o', join(dir, 'ln'), '-q']),
      /long-name\.csv:1 field "2": column name of 300 characters, longer than the 256-character limit \(--max-name-length\)/,
    );
    expect(
      runCli(['baseline', '-i', path, '-o', join(dir, 'ln'), '-q', '--max-name-length', '300']).code,
    ).toBe(0);
  });

  it.each(['0', 'many'])('rejects --max-line-length %s with exit 2', (value) => {
    const result = runCli([
      'baseline',
      '-i',
      join(dir, 'good.csv'),
      '-o',
      join(dir, 'x'),
      '--max-line-length',
      value,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a positive integer');
  });
});

describe('7. duplicate column names', () => {
  it('rejects a detected header whose names repeat, naming the name and the file', () => {
    expectInputError(
      runCli([
        'baseline',
        '-i',
        file('dup.csv', 'x,x,cat,n\n1,2,a,3\n4,5,b,6\n'),
        '-o',
        join(dir, 'dup'),
        '-q',
      ]),
      /dup\.csv:1: duplicate column name "x" in header/,
    );
    expect(existsSync(join(dir, 'dup'))).toBe(false);
  });

  it('skips such a file among good ones, listing it', () => {
    file('mixed/a.csv', GOOD);
    file('mixed/b.csv', 'x,cat,cat\n1,a,b\n');
    const { result, report } = checkJson(join(dir, 'mixed'));
    expect(result.code).toBe(0);
    expect(report.dataset).toMatchObject({ rowsCurrent: 5, unreadableFiles: 1 });
    expect(report.unreadableSamples[0]).toMatch(/mixed\/b\.csv: duplicate column name "cat" in header/);
  });

  it('still reads the same line as data when told the file has no header', () => {
    const result = runCli([
      'baseline',
      '-i',
      join(dir, 'dup.csv'),
      '-o',
      join(dir, 'dup2'),
      '-q',
      '--no-header',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('baseline of 3 rows x 4 features');
  });
});
