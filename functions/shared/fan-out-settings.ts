import { z } from 'zod';

/** 512 MiB: about what one Lambda profiles within its 15 minutes with room to spare */
export const DEFAULT_FAN_OUT_THRESHOLD_BYTES = 512 * 1024 * 1024;

/** one part in twenty may fail (a worker's timeout or crash) before a fanned-out run is failed */
export const DEFAULT_TOLERATED_PART_FAILURE_SHARE = 0.05;

/**
 * The `fanOut` section of the config: when the data job hands a window to the fan-out state machine
 * (lib/constructs/window-fan-out.ts), and how many of its parts may fail. The stack turns these into the
 * environment of the data job and of the fan-out's reducer (env-keys.ts ENV.fanOut*), so config is the one
 * place to set them.
 */
export const fanOutSettingsSchema = z
  .strictObject({
    /** a window with more capture bytes than this is profiled in parts */
    thresholdBytes: z.number().int().positive().default(DEFAULT_FAN_OUT_THRESHOLD_BYTES),
    /**
     * share of a fanned-out window's parts whose worker may fail for reasons other than the data (a timeout, a
     * crash): those parts are left out and named in the run; above the share the run is recorded as failed.
     * Unreadable capture is not a worker failure: it is quarantined, as in the single pass.
     */
    toleratedPartFailureShare: z.number().min(0).lt(1).default(DEFAULT_TOLERATED_PART_FAILURE_SHARE),
  })
  .prefault({});
export type FanOutSettings = z.output<typeof fanOutSettingsSchema>;

/** the share a reducer tolerates, from its environment value (unset: the default) */
export const toleratedPartFailureShareFrom = (raw: string | undefined, name: string): number => {
  if (raw === undefined || raw === '') return DEFAULT_TOLERATED_PART_FAILURE_SHARE;
  const share = Number(raw);
  if (!(Number.isFinite(share) && share >= 0 && share < 1)) {
    throw new Error(`environment variable ${name} is not a share in [0, 1)`);
  }
  return share;
};
