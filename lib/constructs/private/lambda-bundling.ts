import { join } from 'node:path';

/**
 * How every handler is bundled, in one place: NodejsFunction bundles with these settings in development
 * (HouseFunction), and `npm run build` (scripts/build.ts) runs esbuild with the very same settings to prebundle
 * the handlers the package ships, so a consumer's synth needs no esbuild and deploys the same code.
 */

// esbuild's ESM output keeps `import.meta` and top-level await working; CommonJS dependencies still call
// `require`, which ESM lacks, so the banner provides one
export const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
} as const;

/** the folder of the package (dist/) that holds the prebundled handlers, one folder per handler entry */
export const LAMBDA_ASSETS_FOLDER = 'lambda';
/** the bundle's file name in its folder; its `handler` export is the Lambda handler (`index.handler`) */
export const BUNDLE_FILE = 'index.mjs';

/** `functions/data-job/handler.ts` -> `<root>/lambda/functions/data-job/handler` */
export const prebundledAssetDir = (root: string, entry: string): string =>
  join(root, LAMBDA_ASSETS_FOLDER, entry.replace(/\.ts$/, ''));
