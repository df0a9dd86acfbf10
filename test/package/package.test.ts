import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { prebundledAssetDir } from '../../lib/constructs/private/lambda-bundling.ts';
import { handlerEntries } from '../../scripts/build.ts';
import { type PackedApp, packAndInstall } from '../../scripts/packed-app.ts';
import { apiLeaks } from './api-leaks.ts';
import { entryFiles, missingFiles, readManifest } from './package-closure.ts';

/**
 * The package as a user gets it: `npm run build` and `npm pack` (so a clean clone needs no build step before
 * `npm test`: this test builds on demand), the tarball installed into an empty app offline (scripts/packed-app.ts: npm
 * install --offline, dependencies and peers as file: links to this repository's node_modules), then that app
 * synthesizes ModelCare, type-checks against the declarations, and runs the CLI.
 */

const MODELS = [
  {
    name: 'churn',
    problemType: 'binary',
    endpoint: { name: 'churn-xgboost' },
    features: [
      { name: 'tenure_months', type: 'numerical' },
      { name: 'contract', type: 'categorical' },
    ],
    outputs: [{ name: 'churn_probability', role: 'score' }],
    baseline: { datasetUri: 's3://example-ml-data/churn/baseline/train.csv' },
  },
];

// a CDK app as a user writes it; an error ends it with its message's first line, as `cdk synth` shows it
const CONSUMER_APP = `import { App, Stack } from 'aws-cdk-lib';
import { ModelCare } from 'model-care';
try {
  const app = new App({ outdir: 'cdk.out' });
  const stack = new Stack(app, 'Consumer');
  const care = new ModelCare(stack, 'Care', { models: ${JSON.stringify(MODELS)} });
  app.synth();
  process.stdout.write(JSON.stringify({ bucket: stack.resolve(care.store.bucket.bucketName) }));
} catch (error) {
  process.stderr.write(\`\${String(error?.message ?? error).split('\\n')[0]}\\n\`);
  process.exitCode = 1;
}
`;

// the same in TypeScript, type-checked with NodeNext resolution against the package's exports map
const CONSUMER_TYPES = `import { App, Stack } from 'aws-cdk-lib';
import { ModelCare, type ModelCareProps, type ModelConfigInput } from 'model-care';
import { baselineFromFiles, checkFiles, type DriftReport, stats } from 'model-care/engine';
// @ts-expect-error internal modules are not part of the package's API
import { HouseFunction } from 'model-care/dist/lib/constructs/house-function.js';

const models: ModelConfigInput[] = ${JSON.stringify(MODELS)};
const props: ModelCareProps = { models };
const care = new ModelCare(new Stack(new App(), 'Consumer'), 'Care', props);
const topic = care.alerting.topics.critical.topicArn;
const machine = care.stateMachine('churn')?.stateMachineArn;
// @ts-expect-error props are typed: a model needs a name
new ModelCare(new Stack(new App(), 'Typo'), 'Care', { models: [{ problemType: 'binary' }] });
const check = async (window: string): Promise<DriftReport> => checkFiles(await baselineFromFiles('train.csv'), window);
const p: number = stats.ksPValue(0.5, 10, 10);
export { check, HouseFunction, machine, p, topic };
`;

const run = (command: string, args: string[], cwd: string) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** the prebundled handlers the package must ship: one per handler entry HouseFunction deploys */
const bundleFiles = (): string[] =>
  handlerEntries().map((entry) => `${prebundledAssetDir('dist', entry)}/index.mjs`);

/** renames `file` away for the duration of `body` */
const without = <T>(file: string, body: () => T): T => {
  renameSync(file, `${file}.away`);
  try {
    return body();
  } finally {
    renameSync(`${file}.away`, file);
  }
};

let app: PackedApp;

describe('the npm package', { timeout: 300_000 }, () => {
  beforeAll(() => {
    app = packAndInstall();
    writeFileSync(join(app.dir, 'app.mjs'), CONSUMER_APP);
  }, 900_000);

  afterAll(() => {
    if (app) rmSync(app.dir, { recursive: true, force: true });
  });

  test('holds every file its exports, its bin and the construct load, and no TypeScript source', () => {
    // Prepare
    const manifest = readManifest(app.installed);

    // Act
    const missing = missingFiles(app.installed, 'model-care', entryFiles(manifest), bundleFiles());

    // Assess
    expect(missing).toEqual([]);
    expect(app.packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(app.packedFiles.filter((f) => /^(test|bench|local|scripts|config|docs)\//.test(f))).toEqual([]);
  });

  test('synthesizes new ModelCare(stack, "Care", { models }) in an empty app, deploying the shipped bundles', () => {
    // Act
    const synth = run(process.execPath, ['app.mjs'], app.dir);

    // Assess
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const template = JSON.parse(readFileSync(join(app.dir, 'cdk.out/Consumer.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Handler?: string } }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    // every asset the app staged is one of the package's bundles, byte for byte: nothing was bundled anew
    const shipped = new Set(bundleFiles().map((file) => sha256(join(app.installed, file))));
    const staged = readdirSync(join(app.dir, 'cdk.out'))
      .filter((name) => name.startsWith('asset.') && existsSync(join(app.dir, 'cdk.out', name, 'index.mjs')))
      .map((name) => sha256(join(app.dir, 'cdk.out', name, 'index.mjs')));
    expect(staged.length).toBeGreaterThan(0);
    expect(staged.filter((hash) => !shipped.has(hash))).toEqual([]);
    const handlers = new Set(functions.map((f) => f.Properties.Handler).filter((h) => h !== undefined));
    expect(handlers).toContain('index.handler');
  });

  test('type-checks a TypeScript app against its declarations, and hides internal modules', () => {
    // Prepare
    writeFileSync(join(app.dir, 'app.ts'), CONSUMER_TYPES);
    writeFileSync(
      join(app.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // a CDK app has @types/node; the package's declarations name node's streams
          typeRoots: [join(process.cwd(), 'node_modules/@types')],
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );

    // Act
    const tsc = run(
      process.execPath,
      [join(process.cwd(), 'node_modules/typescript/bin/tsc'), '-p', '.'],
      app.dir,
    );

    // Assess
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  });

  test('rejects importing an internal module at run time (the exports map)', () => {
    // Act
    const probe = run(
      process.execPath,
      ['--input-type=module', '-e', "await import('model-care/dist/lib/constructs/house-function.js')"],
      app.dir,
    );

    // Assess
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('runs the compiled CLI: --help lists the commands, a command loads its engine and works', () => {
    // Prepare
    const cli = join(app.dir, 'node_modules/.bin/model-care');
    const csv = join(app.dir, 'train.csv');
    writeFileSync(csv, 'x,colour\n1,red\n2,blue\n3,red\n4,green\n');

    // Act
    const help = run(cli, ['--help'], app.dir);
    const baseline = run(cli, ['baseline', '-i', csv, '-o', join(app.dir, 'baseline'), '-q'], app.dir);
    const usage = run(cli, ['check', '--baseline', 'nowhere'], app.dir);

    // Assess
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/baseline[\s\S]*check[\s\S]*quality/);
    expect(baseline.stderr).toContain('baseline of 4 rows x 2 features');
    expect(baseline.status).toBe(0);
    const statistics = JSON.parse(readFileSync(join(app.dir, 'baseline/statistics.json'), 'utf8'));
    expect(statistics.dataset.item_count).toBe(4);
    expect(usage.status).toBe(2);
  });

  test('fails naming the missing bundle, in one line, when the package lacks a handler asset', () => {
    // Prepare
    const bundle = bundleFiles()[0]!;

    // Act
    const { missing, synth } = without(join(app.installed, bundle), () => ({
      missing: missingFiles(
        app.installed,
        'model-care',
        entryFiles(readManifest(app.installed)),
        bundleFiles(),
      ),
      synth: run(process.execPath, ['app.mjs'], app.dir),
    }));

    // Assess
    expect(missing).toEqual([`model-care lacks ${bundle} (needed by HouseFunction)`]);
    expect(synth.status).toBe(1);
    expect(synth.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(synth.stderr).toContain(join(app.installed, bundle));
  });

  test('fails naming the missing module and its importer when the package lacks compiled code', () => {
    // Prepare
    const module = 'dist/lib/constructs/capture-store.js';

    // Act
    const { missing, synth } = without(join(app.installed, module), () => ({
      missing: missingFiles(
        app.installed,
        'model-care',
        entryFiles(readManifest(app.installed)),
        bundleFiles(),
      ),
      synth: run(process.execPath, ['app.mjs'], app.dir),
    }));

    // Assess
    expect(missing).toEqual([`model-care lacks ${module} (needed by dist/lib/model-care.js)`]);
    expect(synth.status).not.toBe(0);
    expect(synth.stderr).toContain('capture-store.js');
  });

  // the declarations npm pack built into this repository's dist/ are the ones the tarball holds
  test.each(['dist/lib/index.d.ts', 'dist/functions/engine/index.d.ts'])(
    '%s names only types a consumer can import',
    (entry) => {
      expect(apiLeaks(process.cwd(), entry)).toEqual([]);
    },
    300_000,
  );

  test('fails naming the type and the line when a public entry leaks an internal type', () => {
    // Act
    const leaks = apiLeaks(join(process.cwd(), 'test/package/fixtures/leaky'), 'lib/index.d.ts');

    // Assess
    expect(leaks).toEqual([
      'lib/index.d.ts leaks an internal type: The symbol "Internal" needs to be exported by the entry point index.d.ts (lib/index.d.ts:4)',
    ]);
  }, 300_000);
});
