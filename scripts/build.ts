/**
 * `npm run build` (and `npm pack`, through prepack): what the package ships, into dist/.
 *
 *   dist/lib, dist/functions, dist/cli, dist/bin   ESM JavaScript and .d.ts from tsc (tsconfig.build.json): the
 *                                                  construct, the engine's public API and the CLI
 *   dist/lambda/<entry>/index.mjs (+ .map)         every Lambda handler prebundled by esbuild with HouseFunction's
 *                                                  settings (lib/constructs/private/lambda-bundling.ts), so a
 *                                                  consumer's synth needs no esbuild
 *
 * Development needs none of it: `npm start`, `npm test` and the CLI run from the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_FILE,
  LAMBDA_ASSETS_FOLDER,
  LAMBDA_BUNDLING,
  prebundledAssetDir,
} from '../lib/constructs/private/lambda-bundling.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DIST = join(PACKAGE_ROOT, 'dist');

/** packages no handler bundle may carry: the report's charting library belongs to the local twin's report */
const FORBIDDEN_IN_BUNDLES = ['echarts', 'zrender'];

/** A handler's bundle carries a package no Lambda may ship (FORBIDDEN_IN_BUNDLES). */
export class ForbiddenBundleContentError extends Error {
  override readonly name = 'ForbiddenBundleContentError';
}

/** A Lambda entry is a file under functions/ named `handler.ts` or `<something>-handler.ts`. */
const isHandlerEntry = (name: string): boolean => name === 'handler.ts' || name.endsWith('-handler.ts');

/** every Lambda handler entry, relative to the repository root, sorted */
export const handlerEntries = (dir = 'functions'): string[] => {
  const entries: string[] = [];
  for (const item of readdirSync(join(PACKAGE_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${item.name}`;
    if (item.isDirectory()) entries.push(...handlerEntries(path));
    else if (isHandlerEntry(item.name)) entries.push(path);
  }
  return entries.sort();
};

export interface BundleInfo {
  /** the handler's source entry, e.g. `functions/data-job/handler.ts` */
  readonly entry: string;
  /** the bundle file */
  readonly file: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  /** the npm packages bundled into it, with the bytes each contributes */
  readonly packages: Readonly<Record<string, number>>;
}

/** `node_modules/@aws-sdk/client-s3/dist-es/x.js` -> `@aws-sdk/client-s3` */
const packageOf = (input: string): string | undefined => {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
};

const packagesOf = (output: Metafile['outputs'][string]): Record<string, number> => {
  const packages: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    if (name !== undefined) packages[name] = (packages[name] ?? 0) + bytesInOutput;
  }
  return packages;
};

/** Bundles every handler into `<root>/lambda/<entry>/index.mjs`, each on its own (no shared chunks). */
export const bundleHandlers = async (root = DIST, entries = handlerEntries()): Promise<BundleInfo[]> => {
  rmSync(join(root, LAMBDA_ASSETS_FOLDER), { recursive: true, force: true });
  const outdir = join(root, LAMBDA_ASSETS_FOLDER);
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: entries.map((entry) => ({
      in: entry,
      out: relative(outdir, join(prebundledAssetDir(root, entry), BUNDLE_FILE.replace(/\.mjs$/, ''))),
    })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: { js: LAMBDA_BUNDLING.banner },
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    metafile: true,
    logLevel: 'warning',
  });
  const bundles = entries.map((entry): BundleInfo => {
    const file = join(prebundledAssetDir(root, entry), BUNDLE_FILE);
    const output = result.metafile.outputs[relative(PACKAGE_ROOT, file)];
    if (!output) throw new Error(`esbuild wrote no ${relative(PACKAGE_ROOT, file)} for ${entry}`);
    return {
      entry,
      file,
      bytes: statSync(file).size,
      sourceMapBytes: statSync(`${file}.map`).size,
      packages: packagesOf(output),
    };
  });
  for (const bundle of bundles) {
    const forbidden = Object.keys(bundle.packages).filter((p) => FORBIDDEN_IN_BUNDLES.includes(p));
    if (forbidden.length > 0)
      throw new ForbiddenBundleContentError(`${bundle.entry}: its bundle carries ${forbidden.join(', ')}`);
  }
  return bundles;
};

/** tsc with tsconfig.build.json: ESM JavaScript and declarations of the public entries and the CLI */
export const compileTypeScript = (): void => {
  execFileSync(
    process.execPath,
    [join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: PACKAGE_ROOT,
      stdio: 'inherit',
    },
  );
};

/** a clean dist/: compiled entries, then the bundles */
export const buildPackage = async (): Promise<BundleInfo[]> => {
  rmSync(DIST, { recursive: true, force: true });
  compileTypeScript();
  return bundleHandlers();
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const bundles = await buildPackage();
  for (const b of bundles) console.log(`${kb(b.bytes).padStart(7)}  ${b.entry}`);
  console.log(
    `built dist/ (${bundles.length} Lambda bundles) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
