import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { describeCycle, LAYER_RULES, layerViolations } from './layer-rules.ts';
import { importCycles, moduleImports } from './module-graph.ts';

/**
 * The layers of ARCHITECTURE.md, enforced: every import of the source tree (static, type-only, dynamic) is
 * resolved as TypeScript resolves it and checked against LAYER_RULES, and the import graph must have no cycle.
 * A failure names the importing module, the line and the imported module.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['bin', 'cli', 'local', 'lib', 'functions', 'scripts', 'bench'];
const FIXTURE = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));

describe('the repository', () => {
  const imports = moduleImports(ROOT, SOURCE_DIRS);

  test('reads the whole source tree', () => {
    const modules = new Set(imports.map((edge) => edge.from));
    // a walker that found nothing would pass every rule
    expect(modules.has('functions/engine/drift/compute-drift.ts')).toBe(true);
    expect(modules.has('lib/model-care.ts')).toBe(true);
    expect(modules.has('bin/cdk-app.ts')).toBe(true);
    expect(modules.size).toBeGreaterThan(250);
  });

  test('keeps every layer rule', () => {
    expect(layerViolations(imports)).toEqual([]);
  });

  test('has no import cycle', () => {
    expect(importCycles(imports).map(describeCycle)).toEqual([]);
  });
});

describe('the layer test (on a fixture tree that breaks each rule once)', () => {
  const imports = moduleImports(FIXTURE, ['functions', 'lib']);
  const violations = layerViolations(imports);

  test.each([
    [
      'fails when the engine imports an adapter',
      'functions/engine/pure.ts:3 imports functions/adapters/store.ts (the engine is pure',
    ],
    [
      'fails when the engine imports an AWS SDK',
      'functions/engine/pure.ts:2 imports @aws-sdk/client-s3 (the engine is pure',
    ],
    [
      'fails when a handler imports lib/',
      'functions/job/handler.ts:2 imports lib/stack.ts (nothing under functions/ imports',
    ],
    [
      'fails when lib/ imports below functions/shared',
      'lib/stack.ts:2 imports functions/adapters/store.ts (lib/ imports only lib/ and functions/shared)',
    ],
  ])('%s', (_, expected) => {
    expect(violations.some((line) => line.startsWith(expected))).toBe(true);
  });

  test('reports nothing else: the adapter, the shared contracts and the lib-free modules pass', () => {
    expect(violations).toHaveLength(4);
  });

  test('fails on an import cycle, naming each import in it', () => {
    expect(importCycles(imports).map(describeCycle)).toEqual([
      'functions/shared/contract.ts:2 -> functions/shared/limits.ts:1 -> functions/shared/contract.ts',
    ]);
  });

  test('fails when functions/shared imports anything outside it', () => {
    const leaking = [
      {
        from: 'functions/shared/events.ts',
        line: 1,
        specifier: '../handler-kit/x.ts',
        to: 'functions/handler-kit/x.ts',
        external: false,
      },
    ];
    expect(layerViolations(leaking, LAYER_RULES)).toEqual([
      'functions/shared/events.ts:1 imports functions/handler-kit/x.ts (functions/shared holds the contracts lib/ shares with the handlers: it imports only itself and the engine)',
    ]);
  });
});
