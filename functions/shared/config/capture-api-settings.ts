import * as z from 'zod';
import { doc } from './zod-primitives.ts';

/**
 * 20 concurrent capture requests: each is one S3 write of up to 1,000 records (tens of milliseconds) or one
 * proxied invocation, so 20 serve hundreds of requests a second, while a flood of signed requests can take at
 * most 20 of the account's Lambda concurrency (1,000 by default) from the monitoring jobs and everything else.
 */
export const DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY = 20;

/**
 * The `captureApi` section of the config. Lambda keeps at least 100 of an account's concurrency unreserved: an
 * account whose concurrency quota is low (new accounts may start at 10) cannot reserve 20 and the deployment
 * fails; set a lower number there, or `null` for no reservation (the function then shares the unreserved pool).
 */
export const captureApiSettingsSchema = z
  .strictObject({
    reservedConcurrency: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .nullable()
      .default(DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY)
      .meta(
        doc(
          "the capture API's reserved Lambda concurrency: its ceiling under a flood, and its guaranteed share; " +
            '`null` reserves none (for accounts whose concurrency quota leaves less than 100 unreserved)',
          String(DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY),
        ),
      ),
  })
  .prefault({});
export type CaptureApiSettings = z.output<typeof captureApiSettingsSchema>;
