import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetStaging, Stack } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { HouseFunction } from '../../lib/constructs/house-function.ts';
import { testApp } from './support/synth-stack.ts';

/** imports the bundle in a plain node process, as Lambda does (vitest's own module loader would hide a gap) */
const invokeInNode = (bundle: string, event: unknown): unknown => {
  const runner = join(mkdtempSync(join(tmpdir(), 'model-care-bundle-')), 'run.mjs');
  writeFileSync(
    runner,
    `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});\n` +
      `process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)})));\n`,
  );
  return JSON.parse(execFileSync(process.execPath, [runner], { encoding: 'utf8' }));
};

// the one test that really runs esbuild; every other infra test skips bundling
describe('house function bundling', () => {
  test('produces an ESM bundle whose handler runs in node with import.meta, top-level await and require()', () => {
    const stack = new Stack(testApp({ bundle: true }), 'Bundling');
    const house = new HouseFunction(stack, 'Fixture', {
      entry: 'test/lib/fixtures/esm-handler.ts',
      description: 'bundling fixture',
    });
    const staging = house.function.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging);
    expect(staging).toBeDefined();
    const bundle = join(staging!.absoluteStagedPath, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toContain('createRequire');

    const result = invokeInNode(bundle, { name: 'model-care' });
    expect(result).toEqual({
      here: pathToFileURL(`${staging!.absoluteStagedPath}/`).href,
      loadedAt: expect.any(Number),
      name: 'model-care',
      platform: process.platform,
    });
  });
});
