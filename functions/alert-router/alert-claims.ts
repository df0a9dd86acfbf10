import { createHash } from 'node:crypto';
import type { AlertStateRepository } from '../adapters/alert-state-repository.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import type { Severity } from '../shared/config/vocabulary.ts';
import type { ClassifiedViolation } from './alert-message.ts';
import { maxSeverity } from './severity-policy.ts';

/** a run's alert is handled once: a redelivered event finds its claim (kept long past any redelivery) */
export const RUN_CLAIM_SECONDS = 7 * 86_400;

/**
 * The slot that makes a run's alert happen once. A redelivered event has the same checks; a re-evaluated
 * window whose checks changed is a new alert.
 */
export const runSlotOf = (runId: string, checks: Iterable<string>): string => {
  const digest = createHash('sha256')
    .update([...checks].sort().join(','))
    .digest('hex')
    .slice(0, 16);
  return `run#${runId}#${digest}`;
};

/** the slot of a check's cooldown: per job, so data and quality checks of the same name stay apart */
export const checkSlotOf = (job: string, check: string): string => `${job}.${check}`;

/**
 * Claims, check by check, the right to notify: a check that alerted within the cooldown stays quiet unless it got
 * worse (a higher severity breaks through). Each claim is pushed onto `claimed` as it is made, so that a failure
 * midway can still take back the claims made before it.
 */
export const claimChecks = async (
  alerts: AlertStateRepository,
  claim: {
    readonly model: string;
    readonly job: string;
    readonly byCheck: ReadonlyMap<string, readonly ClassifiedViolation[]>;
    readonly now: Date;
    readonly cooldownSeconds: number;
  },
  claimed: string[],
): Promise<void> => {
  for (const [check, violations] of claim.byCheck) {
    const severity: Severity = maxSeverity(violations.map((v) => v.severity));
    const slot = checkSlotOf(claim.job, check);
    if (await alerts.shouldNotify(claim.model, slot, severity, claim.now, claim.cooldownSeconds))
      claimed.push(check);
  }
};

/** Takes claims back (sending failed after claiming), so the retry of the event can notify; logs what it cannot. */
export const releaseClaims = async (
  alerts: AlertStateRepository,
  model: string,
  slots: readonly string[],
  logger: HandlerLogger,
  context: Record<string, unknown>,
): Promise<void> => {
  for (const slot of slots) {
    try {
      await alerts.clear(model, slot);
    } catch (error) {
      logger.error('alert claim not cleared', { ...context, slot, ...errorSummary(error) });
    }
  }
};
