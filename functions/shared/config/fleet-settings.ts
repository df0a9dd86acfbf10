import * as z from 'zod';
import { doc } from './zod-primitives.ts';

/** the dispatcher's tick: a window is handed out at most this long after its end plus grace */
export const DEFAULT_DISPATCH_EVERY_MINUTES = 5;

/**
 * 20 data (and 20 quality) runs at once: a data run is one Lambda of 1,769 MB for up to 15 minutes, so 20 judge
 * a thousand hourly windows well inside the hour while leaving most of an account's concurrency (1,000 by default)
 * to everything else. EventBridge's asynchronous invocations wait and retry while the job is at its ceiling.
 */
export const DEFAULT_MAX_CONCURRENT_JOBS = 20;

/**
 * The `fleet` section of the config: how the stack-level schedule hands out every model's windows (one
 * EventBridge rule and the dispatcher, whatever the number of models) and how many runs of the data and the
 * quality job may run at once (their reserved concurrency).
 */
export const fleetSettingsSchema = z
  .strictObject({
    dispatchEveryMinutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(DEFAULT_DISPATCH_EVERY_MINUTES)
      .meta(
        doc(
          "minutes between the dispatcher's ticks (`rate(N minutes)`): a window is judged at most this long after " +
            'its end plus `schedules.graceMinutes`',
          String(DEFAULT_DISPATCH_EVERY_MINUTES),
        ),
      ),
    maxConcurrentJobs: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(DEFAULT_MAX_CONCURRENT_JOBS)
      .meta(
        doc(
          'reserved Lambda concurrency of the data job and of the quality job each: their ceiling and guaranteed ' +
            "share (Lambda keeps 100 of the account's concurrency unreserved, so a low quota needs a lower number)",
          String(DEFAULT_MAX_CONCURRENT_JOBS),
        ),
      ),
  })
  .prefault({});
export type FleetSettings = z.output<typeof fleetSettingsSchema>;
