import * as z from 'zod';
import { doc } from './zod-primitives.ts';

/** 512 MiB: about what one Lambda profiles within its 15 minutes with room to spare */
export const DEFAULT_FAN_OUT_THRESHOLD_BYTES = 512 * 1024 * 1024;

/**
 * parts profiled at once by one fanned-out window: 40 is what an inline Map state runs concurrently at most
 * (window-fan-out.ts says why the Map is inline); each part is a Lambda of 1,769 MB for up to 15 minutes
 */
export const MAX_FAN_OUT_CONCURRENCY = 40;

/** one part in twenty may fail (a worker's timeout or crash) before a fanned-out run is failed */
export const DEFAULT_TOLERATED_PART_FAILURE_SHARE = 0.05;

/**
 * The `fanOut` section of the config: when the data job hands a window to the fan-out state machine
 * (lib/constructs/window-fan-out.ts), and how many of its parts may fail. The stack turns these into the
 * environment of the data job and of the fan-out's reducer (environment.ts `fanOut*`), so config is the one
 * place to set them.
 */
export const fanOutSettingsSchema = z
  .strictObject({
    thresholdBytes: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_FAN_OUT_THRESHOLD_BYTES)
      .meta(
        doc(
          'a data window with more capture bytes is profiled in parts by the fan-out state machine',
          '536870912 (512 MiB)',
        ),
      ),
    maxConcurrency: z
      .number()
      .int()
      .min(1)
      .max(MAX_FAN_OUT_CONCURRENCY)
      .default(MAX_FAN_OUT_CONCURRENCY)
      .meta(
        doc(
          "parts of one fanned-out window profiled at once (the Map state's MaxConcurrency, at most 40): the " +
            'Lambda concurrency one window can take',
        ),
      ),
    // unreadable capture is not a worker failure: it is quarantined, as in the single pass
    toleratedPartFailureShare: z
      .number()
      .min(0)
      .lt(1)
      .default(DEFAULT_TOLERATED_PART_FAILURE_SHARE)
      .meta(
        doc(
          "share of a fanned-out window's parts whose worker may fail (timeout, crash): their objects are left out " +
            'and named in the run; above it the run is recorded as failed',
        ),
      ),
  })
  .prefault({});
export type FanOutSettings = z.output<typeof fanOutSettingsSchema>;
