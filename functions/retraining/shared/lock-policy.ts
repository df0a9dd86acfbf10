import type { RetrainingConfig } from '../../shared/config/retraining-schema.ts';
import { retrainingTimeoutMinutes } from '../../shared/retraining-contract.ts';

export { RETRAINING_LOCK_NAME } from '../../adapters/dynamodb/dynamodb-retraining-run-log.ts';

const HOUR_SECONDS = 3600;
/** seconds a retraining lock must outlive the execution (the state machine's timeout) plus a margin */
export const LOCK_MARGIN_SECONDS = 5 * 60;
export const DAY_MS = 24 * HOUR_SECONDS * 1000;

/** the lock outlives the longest execution the state machine allows, so a timed-out run cannot keep it */
export const lockTtlSeconds = (retraining: RetrainingConfig): number =>
  retrainingTimeoutMinutes(retraining) * 60 + LOCK_MARGIN_SECONDS;

/** how long the run log must remember a run: the daily limit's day or the cooldown, whichever is longer */
export const runRetentionSeconds = (retraining: RetrainingConfig): number =>
  Math.ceil(Math.max(24, retraining.cooldownHours) * HOUR_SECONDS) + lockTtlSeconds(retraining);
