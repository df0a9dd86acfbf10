import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { CheckStreak, ClassifiedViolation } from './alert-message.ts';

export interface RetrainingDecision {
  readonly request: boolean;
  /** why, in words a person reads in the alert and the execution's input */
  readonly reason: string;
}

/**
 * Whether a run's violations should start the model's retraining workflow: only for the model's
 * `retraining.triggerChecks` (by default the label-confirmed ones: model quality and concept drift), and only
 * when one of them is critical or has been violated in `triggerAfterWindows` consecutive windows. This is
 * decided apart from notification: a check quiet in its alert cooldown may still be persistently failing.
 * Duplicate requests are harmless: the workflow's lock, cooldown and daily limit refuse them.
 */
export const decideRetraining = (
  model: ModelConfig,
  violations: readonly ClassifiedViolation[],
  streaks: readonly CheckStreak[],
): RetrainingDecision => {
  const retraining = model.retraining;
  if (!retraining?.startOnCritical) return { request: false, reason: 'automatic retraining is off' };
  const triggers = new Set<string>(retraining.triggerChecks);
  const relevant = violations.filter((v) => triggers.has(v.constraintCheckType));
  if (relevant.length === 0) return { request: false, reason: 'no trigger check violated' };
  const critical = relevant.find((v) => v.severity === 'critical');
  if (critical)
    return { request: true, reason: `critical ${critical.constraintCheckType} (${critical.featureName})` };
  const persistent = streaks.find((s) => triggers.has(s.check) && s.runs >= retraining.triggerAfterWindows);
  if (persistent) {
    return {
      request: true,
      reason: `${persistent.check} violated in ${persistent.runs} consecutive windows since ${persistent.since}`,
    };
  }
  return { request: false, reason: 'trigger checks violated, but neither critical nor persistent yet' };
};
