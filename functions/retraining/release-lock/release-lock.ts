import type { LockRepository } from '../../adapters/lock-repository.ts';
import type { RetrainingRunLog } from '../../adapters/retraining-run-log.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { ReleaseLockResult } from '../../shared/retraining-contract.ts';
import { RETRAINING_LOCK_NAME, runRetentionSeconds } from '../shared/lock-policy.ts';
import { executionRefSchema, lockResultSchema, parseStepInput } from '../shared/step-input.ts';

export interface ReleaseLockDeps {
  readonly locks: LockRepository;
  readonly runs: RetrainingRunLog;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/**
 * Records the run's end (what the cooldown counts from) and then frees the lock, only if this execution holds
 * it (conditional on lockId). Runs on success and on the failure path; with no lock (the failure came before
 * or while acquiring) there is nothing to do. A retry after a release answers `released: false`.
 */
export const makeReleaseLockHandler = (deps: ReleaseLockDeps) => {
  const { locks, runs, logger } = deps;
  return async (event: unknown): Promise<ReleaseLockResult> => {
    const { model, execution, lock } = parseStepInput(
      'release-lock',
      { execution: executionRefSchema, lock: lockResultSchema.nullable() },
      event,
    );
    const context = { model: model.name, execution: execution.name };
    if (!lock?.acquired || lock.lockId === null) {
      logger.info('no retraining lock to release', context);
      return { released: false };
    }
    await runs.recordEnd(model.name, lock.lockId, deps.now(), runRetentionSeconds(model.retraining));
    const released = await locks.release(model.name, RETRAINING_LOCK_NAME, lock.lockId);
    if (released) logger.info('retraining lock released', context);
    else logger.warn('retraining lock was no longer held by this execution', context);
    return { released };
  };
};
