import { afterAll, beforeAll } from 'vitest';
import { type DynamoEmulator, startDynamoEmulator, type TableSpec } from '../../local/emulators.ts';

export type { DynamoEmulator, TableSpec } from '../../local/emulators.ts';

/** Starts dynalite in memory on a free loopback port with the given tables; the caller stops it. */
export const startTestDynamo = (tables: readonly TableSpec[]) => startDynamoEmulator({ tables });

/**
 * One dynalite per test file: started in beforeAll, stopped in afterAll. Read `.current` inside tests.
 * Tables use the shared pk/sk design unless the spec says otherwise.
 */
export const useDynalite = (tables: readonly TableSpec[]): { readonly current: DynamoEmulator } => {
  let emulator: DynamoEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTestDynamo(tables);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return {
    get current() {
      if (!emulator) throw new Error('dynalite is not running: use it inside a test or a hook');
      return emulator;
    },
  };
};
