import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CliResult } from '../support/run-cli.ts';
import { runCli, splitSeattleWeather, tempDir } from '../support/run-cli.ts';
import { runCliAsync } from '../support/run-cli-async.ts';
import { useS3rver } from '../support/s3rver.ts';

const BUCKET = 'model-care-inputs';
const FIXTURES = 'test/fixtures/model-monitor';
const s3rver = useS3rver([BUCKET]);

/** the default credential chain, pointed at s3rver's fixed keys through the environment */
const S3RVER_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
const runOnS3 = (args: string[]) =>
  runCliAsync([...args, '--endpoint-url', s3rver.current.endpoint], S3RVER_ENV);

const put = (key: string, body: string | Uint8Array) =>
  s3rver.current.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const uri = (key: string) => `s3://${BUCKET}/${key}`;

const expectOneLineError = (result: CliResult, pattern: RegExp) => {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
};

/** the report without the input names, which differ between a path and an s3:// URI */
const comparable = (stdout: string) => {
  const report = JSON.parse(stdout);
  return { dataset: report.dataset, features: report.features, violations: report.violations };
};

describe('model-care check and quality with s3:// inputs (s3rver)', () => {
  let dir: string;
  let baseline: string;
  let years: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir();
    years = splitSeattleWeather(dir);
    baseline = join(dir, 'baseline');
    expect(runCli(['baseline', '-i', years['2012']!, '-o', baseline, '--exclude', 'date', '-q']).code).toBe(
      0,
    );
    await put('baselines/weather/1/statistics.json', readFileSync(join(baseline, 'statistics.json')));
    await put('baselines/weather/1/constraints.json', readFileSync(join(baseline, 'constraints.json')));
    const window = readFileSync(years['2015']!, 'utf8');
    const [header, ...rows] = window.trimEnd().split('\n');
    const half = Math.floor(rows.length / 2);
    // one window as a prefix of two objects, one of them gzipped without a .gz suffix, and a folder marker
    await put('capture/weather/2015/part-1.csv', `${header}\n${rows.slice(0, half).join('\n')}\n`);
    await put('capture/weather/2015/part-2.csv', gzipSync(`${header}\n${rows.slice(half).join('\n')}\n`));
    await put('capture/weather/2015/', '');
    await put('capture/weather/2015-whole.csv', window);
    await put('quality/predictions.jsonl', readFileSync(`${FIXTURES}/monitor--capture.jsonl`));
    await put('quality/labels.jsonl', readFileSync(`${FIXTURES}/monitor--actuals.jsonl`));
  });

  test('checks an s3:// window against an s3:// baseline exactly as the same files on disk', async () => {
    // Prepare
    const local = runCli([
      'check',
      '-b',
      baseline,
      '-c',
      years['2015']!,
      '--exclude',
      'date',
      '--json',
      '-q',
    ]);
    // Act
    const remote = await runOnS3([
      'check',
      '--baseline',
      uri('baselines/weather/1/'),
      '--current',
      uri('capture/weather/2015'),
      '--exclude',
      'date',
      '--json',
      '-q',
    ]);
    // Assess
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(local.code).toBe(0);
    expect(comparable(remote.stdout)).toEqual(comparable(local.stdout));
    expect(JSON.parse(remote.stdout).dataset.rowsCurrent).toBe(365);
  });

  test('reads a single object, not the neighbours that share its name as a prefix', async () => {
    const result = await runOnS3([
      'check',
      '-b',
      uri('baselines/weather/1'),
      '-c',
      uri('capture/weather/2015-whole.csv'),
      '--exclude',
      'date',
      '--json',
      '-q',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dataset.rowsCurrent).toBe(365);
  });

  test('counts and names a malformed record of an object by its URI and line, and uses the others', async () => {
    // Prepare
    await put('capture/malformed/a.csv', 'x,y\n1,2\n3,4,5\n5,6\n');
    const xy = join(dir, 'xy');
    await put('capture/malformed-base.csv', 'x,y\n1,2\n3,4\n5,6\n');
    // Act: a baseline built from an s3:// object, then a window with one bad line
    const built = await runOnS3(['baseline', '-i', uri('capture/malformed-base.csv'), '-o', xy, '-q']);
    const checked = await runOnS3(['check', '-b', xy, '-c', uri('capture/malformed/'), '--json', '-q']);
    // Assess
    expect(built.code).toBe(0);
    expect(checked.code).toBe(0);
    const report = JSON.parse(checked.stdout);
    expect(report.dataset.rowsCurrent).toBe(2);
    expect(report.dataset.malformedRecords).toBe(1);
    expect(report.malformedSamples[0]).toMatch(/^s3:\/\/model-care-inputs\/capture\/malformed\/a\.csv:3/);
  });

  test('computes quality from s3:// predictions and labels as from the files on disk', async () => {
    const local = runCli([
      'quality',
      '-p',
      `${FIXTURES}/monitor--capture.jsonl`,
      '-l',
      `${FIXTURES}/monitor--actuals.jsonl`,
      '--problem',
      'binary',
      '--json',
    ]);
    const remote = await runOnS3([
      'quality',
      '-p',
      uri('quality/predictions.jsonl'),
      '-l',
      uri('quality/labels.jsonl'),
      '--problem',
      'binary',
      '--json',
    ]);
    expect(remote.code).toBe(0);
    expect(JSON.parse(remote.stdout).metrics).toEqual(JSON.parse(local.stdout).metrics);
  });

  test.each([
    [
      'a prefix with no objects',
      ['-b', uri('baselines/weather/1'), '-c', uri('capture/nowhere/')],
      /^model-care: s3:\/\/model-care-inputs\/capture\/nowhere\/: no objects at this location$/,
    ],
    [
      'a baseline prefix without statistics.json',
      ['-b', uri('baselines/weather/9'), '-c', uri('capture/weather/2015')],
      /^model-care: s3:\/\/model-care-inputs\/baselines\/weather\/9\/statistics\.json: no such object$/,
    ],
    [
      'a bucket that does not exist',
      ['-b', 's3://no-such-bucket-here/b', '-c', uri('capture/weather/2015')],
      /^model-care: s3:\/\/no-such-bucket-here\/b\/statistics\.json: (no such bucket|no such object)$/,
    ],
    [
      'a URI that is not one',
      ['-b', 's3://Bad_Bucket/x', '-c', uri('capture/weather/2015')],
      /^model-care: s3:\/\/Bad_Bucket\/x\/statistics\.json: not an s3:\/\/bucket\/key URI$/,
    ],
  ])('rejects %s in one line with exit 2', async (_, args, pattern) => {
    expectOneLineError(await runOnS3(['check', ...args, '-q']), pattern);
  });

  test('rejects an unreachable endpoint in one line with exit 2', async () => {
    const result = await runCliAsync(
      [
        'check',
        '-b',
        uri('baselines/weather/1'),
        '-c',
        uri('x'),
        '--endpoint-url',
        'http://127.0.0.1:9',
        '-q',
      ],
      { ...S3RVER_ENV, AWS_MAX_ATTEMPTS: '1' },
    );
    expectOneLineError(result, /cannot reach the AWS endpoint \(ECONNREFUSED\)/);
  });
});
