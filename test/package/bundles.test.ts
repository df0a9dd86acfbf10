import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bundleHandlers, ForbiddenBundleContentError } from '../../scripts/build.ts';

const root = mkdtempSync(join(tmpdir(), 'model-care-bundles-'));

describe('prebundling the handlers (scripts/build.ts)', { timeout: 300_000 }, () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('bundles a handler with only the SDK clients it imports', async () => {
    // Act
    const [bundle] = await bundleHandlers(root, ['functions/retraining/acquire-lock/handler.ts']);

    // Assess
    const clients = Object.keys(bundle!.packages).filter((p) => p.startsWith('@aws-sdk/client-'));
    expect(clients).toEqual(['@aws-sdk/client-dynamodb']);
    expect(bundle!.file).toBe(join(root, 'lambda/functions/retraining/acquire-lock/handler/index.mjs'));
  });

  test('rejects a handler whose bundle would carry echarts, naming the handler', async () => {
    // Act
    const error = await bundleHandlers(root, ['test/package/fixtures/charting-handler.ts']).catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(ForbiddenBundleContentError);
    expect(String(error.message)).toMatch(
      /^test\/package\/fixtures\/charting-handler.ts: its bundle carries echarts/,
    );
  });
});
