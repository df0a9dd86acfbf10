import { afterAll, beforeAll } from 'vitest';
import { type S3Emulator, type S3EmulatorOptions, startS3Emulator } from '../../local/emulators.ts';

export type { S3Emulator } from '../../local/emulators.ts';

/** Starts s3rver on a free loopback port with the given buckets; the caller stops it. */
export const startTestS3 = (buckets: readonly string[], options: Omit<S3EmulatorOptions, 'buckets'> = {}) =>
  startS3Emulator({ ...options, buckets });

/**
 * One s3rver per test file: started in beforeAll, stopped in afterAll. Read `.current` inside tests
 * (it is set once beforeAll has run).
 */
export const useS3rver = (buckets: readonly string[]): { readonly current: S3Emulator } => {
  let emulator: S3Emulator | undefined;
  beforeAll(async () => {
    emulator = await startTestS3(buckets);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return {
    get current() {
      if (!emulator) throw new Error('s3rver is not running: use it inside a test or a hook');
      return emulator;
    },
  };
};
