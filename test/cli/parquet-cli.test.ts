import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/run-cli.ts';

/** Issue 17, section 3: a batch transform job's captured Parquet judged by `check`, its exit code the pipeline gate. */

const FIXTURES = 'test/fixtures/batch-transform';

describe('model-care check on Parquet (batch transform capture)', () => {
  let baseline: string;

  beforeAll(() => {
    baseline = join(tempDir(), 'baseline');
    expect(runCli(['baseline', '--input', `${FIXTURES}/input.csv`, '--out', baseline]).code).toBe(0);
  });

  const check = (current: string) =>
    runCli(['check', '-b', baseline, '-c', current, '--fail-on-violation', '-q', '--json']);

  it('passes the same table written as Parquet (exit 0)', () => {
    const result = check(`${FIXTURES}/input.parquet`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dataset).toMatchObject({ drifted: false });
  });

  it('fails a drifted Parquet output (exit 1), naming the drifted feature', () => {
    const result = check(`${FIXTURES}/drifted.parquet`);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { violations: { feature_name: string }[] };
    expect(report.violations.map((v) => v.feature_name)).toContain('income');
  });

  it('rejects a file that is not Parquet in one line naming it, exit 2', () => {
    const result = runCli([
      'check',
      '-b',
      baseline,
      '-c',
      `${FIXTURES}/not-parquet.parquet`,
      '--format',
      'parquet',
    ]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not-parquet\.parquet: not a Parquet file/);
  });
});
