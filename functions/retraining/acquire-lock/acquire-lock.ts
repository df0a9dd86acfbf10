import * as z from 'zod';
import type { LockRepository } from '../../adapters/lock-repository.ts';
import type { RetrainingRunLog } from '../../adapters/retraining-run-log.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { AcquireLockResult } from '../../shared/retraining-contract.ts';
import { DAY_MS, lockTtlSeconds, RETRAINING_LOCK_NAME, runRetentionSeconds } from '../shared/lock-policy.ts';
import { executionRefSchema, parseStepInput } from '../shared/step-input.ts';

export interface AcquireLockDeps {
  readonly locks: LockRepository;
  readonly runs: RetrainingRunLog;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

const refused = (reason: 'held' | 'cooldown' | 'daily-limit'): AcquireLockResult => ({
  acquired: false,
  reason,
  lockId: null,
  expiresAt: null,
});

/**
 * Takes the model's retraining lock (one conditional write on `LOCK#<model>#retraining`, owned by the
 * execution id, expiring after the state machine's timeout), then, holding it, checks the cooldown and the
 * daily limit against the run log and gives the lock back when either refuses. Checking inside the lock
 * makes the decision race-free: the previous holder wrote its end before releasing. A retried step finds its
 * own lock and its own start, and answers `acquired` again.
 */
export const makeAcquireLockHandler = (deps: AcquireLockDeps) => {
  const { locks, runs, logger } = deps;
  return async (event: unknown): Promise<AcquireLockResult> => {
    const { model, execution, trigger } = parseStepInput(
      'acquire-lock',
      { execution: executionRefSchema, trigger: z.unknown() },
      event,
    );
    const retraining = model.retraining;
    const now = deps.now();
    const owner = execution.id;
    const ttlSeconds = lockTtlSeconds(retraining);
    const context = { model: model.name, execution: execution.name };

    if (!(await locks.acquire(model.name, RETRAINING_LOCK_NAME, owner, ttlSeconds, now))) {
      const holder = await locks.holder(model.name, RETRAINING_LOCK_NAME, now);
      logger.info('retraining skipped: another execution holds the lock', {
        ...context,
        holder: holder?.owner ?? null,
      });
      return refused('held');
    }

    const history = await runs.list(model.name);
    if (!history.some((run) => run.execution === owner)) {
      const others = history.filter((run) => run.execution !== owner);
      const lastEnd = Math.max(
        ...others.map((run) => (run.endedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(run.endedAt))),
      );
      const cooldownMs = retraining.cooldownHours * 3600 * 1000;
      const startedToday = others.filter((run) => now.getTime() - Date.parse(run.startedAt) < DAY_MS).length;
      const reason =
        Number.isFinite(lastEnd) && now.getTime() - lastEnd < cooldownMs
          ? 'cooldown'
          : startedToday >= retraining.maxRunsPerDay
            ? 'daily-limit'
            : undefined;
      if (reason) {
        await locks.release(model.name, RETRAINING_LOCK_NAME, owner);
        logger.info(`retraining skipped: ${reason}`, {
          ...context,
          lastEndedAt: Number.isFinite(lastEnd) ? new Date(lastEnd).toISOString() : null,
          cooldownHours: retraining.cooldownHours,
          startedInLast24Hours: startedToday,
          maxRunsPerDay: retraining.maxRunsPerDay,
        });
        return refused(reason);
      }
      await runs.recordStart(model.name, owner, now, runRetentionSeconds(retraining));
    }

    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    logger.info('retraining lock acquired', { ...context, expiresAt, trigger });
    return { acquired: true, reason: 'acquired', lockId: owner, expiresAt };
  };
};
