import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/run-cli.ts';

/** Issue 17, section 2: `check` reads nested JSON capture through payload paths and leaves test traffic out. */

const line = (a: number, b: number, score: number, attributes?: string): string =>
  JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'application/json',
        mode: 'INPUT',
        data: JSON.stringify({ body: { features: [a, b] }, client: attributes ? 'load-test' : 'app' }),
        encoding: 'JSON',
      },
      endpointOutput: {
        observedContentType: 'application/json',
        mode: 'OUTPUT',
        data: JSON.stringify({ predictions: [{ score }] }),
        encoding: 'JSON',
      },
    },
    eventMetadata: {
      eventId: `e-${a}-${b}-${score}`,
      inferenceTime: '2026-01-01T00:00:00Z',
      ...(attributes ? { customAttributes: attributes } : {}),
    },
    eventVersion: '0',
  });

describe('model-care check with payload settings', () => {
  let dir: string;
  let baseline: string;
  let capture: string;
  const paths = ['--inputs-path', 'body.features', '--outputs-path', 'predictions[*].score'];

  beforeAll(() => {
    dir = tempDir();
    const rows = Array.from({ length: 400 }, (_, i) => `${i % 50},${(i * 7) % 30}`);
    writeFileSync(join(dir, 'train.csv'), `a,b\n${rows.join('\n')}\n`);
    baseline = join(dir, 'baseline');
    expect(runCli(['baseline', '--input', join(dir, 'train.csv'), '--out', baseline]).code).toBe(0);
    // live traffic like the training data, and a load test far from it, tagged by a custom attribute
    const live = Array.from({ length: 400 }, (_, i) => line(i % 50, (i * 7) % 30, 0.5));
    const synthetic = Array.from({ length: 400 }, (_, i) => line(1000 + i, 500, 0.9, 'traffic=test'));
    capture = join(dir, 'window.jsonl');
    writeFileSync(capture, `${[...live, ...synthetic].join('\n')}\n`);
  });

  const check = (extra: string[]) =>
    runCli([
      'check',
      '-b',
      baseline,
      '-c',
      capture,
      '--format',
      'capture',
      '--fail-on-violation',
      '-q',
      '--json',
      ...paths,
      ...extra,
    ]);

  it('passes once the load test is left out by its custom attribute', () => {
    const result = check(['--exclude-attribute', 'traffic=test|synthetic']);
    expect(result.stderr).toContain('400 record(s) left out by the exclude rules');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dataset).toMatchObject({ drifted: false });
  });

  it('passes once the load test is left out by a request field', () => {
    expect(check(['--exclude-input', 'client=load-test']).code).toBe(0);
  });

  it('takes the same settings from a model config file', () => {
    const model = {
      name: 'nested',
      problemType: 'regression',
      features: [
        { name: 'a', type: 'numerical' },
        { name: 'b', type: 'numerical' },
      ],
      outputs: [{ name: 'score', role: 'prediction' }],
      baseline: { datasetUri: 's3://bucket-name/train.csv' },
      payload: {
        inputsPath: 'body.features',
        outputsPath: 'predictions[*].score',
        exclude: [{ attribute: 'traffic', values: ['test'] }],
      },
    };
    const file = join(dir, 'nested.json');
    writeFileSync(file, JSON.stringify(model));
    const result = runCli([
      'check',
      '-b',
      baseline,
      '-c',
      capture,
      '--format',
      'capture',
      '--fail-on-violation',
      '-q',
      '--model-config',
      file,
    ]);
    expect(result.code).toBe(0);
  });

  it('fails the check (exit 1) when the load test is kept', () => {
    expect(check([]).code).toBe(1);
  });

  it.each([
    [['--inputs-path', 'body.['], /^model-care: --inputs-path: "body\.\[" is not a JMESPath expression/],
    [['--exclude-input', 'a..b=1'], /^model-care: --exclude-input: "a\.\.b" is not a JMESPath expression/],
  ])('rejects %j in one line, exit 2', (args, pattern) => {
    const result = runCli(['check', '-b', baseline, '-c', capture, '--format', 'capture', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('rejects a model config file whose path does not parse, naming the file and field, exit 2', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'bad',
        problemType: 'regression',
        features: [{ name: 'a', type: 'numerical' }],
        outputs: [{ name: 'score', role: 'prediction' }],
        baseline: { datasetUri: 's3://bucket-name/train.csv' },
        payload: { outputsPath: 'x[' },
      }),
    );
    const result = runCli(['check', '-b', baseline, '-c', capture, '--model-config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.json: payload\.outputsPath: .*is not a JMESPath expression/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
