import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertStateRepository } from '../adapters/alert-state-repository.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { Notifier } from '../adapters/notifier.ts';
import type { RunRepository } from '../adapters/run-repository.ts';
import { DETAIL_TYPES, type RetrainingRequestedDetail } from '../shared/events.ts';
import { errorSummary, type HandlerLogger } from '../shared/handler-kit/handler-logger.ts';
import { parseJobEvent, windowRangeSchema } from '../shared/handler-kit/job-event.ts';
import type { MonitoringViolation } from '../shared/handler-kit/monitoring-violation.ts';
import type { Severity } from '../shared/model-config.ts';
import { verdictContextSchema } from '../shared/verdict-context.ts';
import type { AlertLinks } from './alert-links.ts';
import { type ClassifiedViolation, renderAlert } from './alert-message.ts';
import { checkStreaks } from './check-streaks.ts';
import { severityFor } from './harm-severity.ts';
import { decideRetraining } from './retraining-trigger.ts';
import { maxSeverity, severityRank } from './severity-policy.ts';

export interface AlertRouterDeps {
  readonly alerts: AlertStateRepository;
  /** the model's past runs, for "since when" */
  readonly runs: RunRepository;
  readonly notifier: Notifier;
  /** `Retraining Requested` on a critical alert */
  readonly events: EventPublisher;
  /** topic ARN per severity (TOPIC_ENV) */
  readonly topics: Readonly<Record<Severity, string>>;
  readonly links: AlertLinks;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** how far back "since when" looks; @default 7 days */
  readonly lookbackMs?: number;
}

export interface AlertRouterResult {
  readonly runId: string;
  /** notified; duplicate: this run's alert was already handled; quiet: every check is in its cooldown */
  readonly outcome: 'notified' | 'duplicate' | 'quiet' | 'nothing';
  readonly severity: Severity | null;
  readonly checks: string[];
  readonly messageId: string | null;
  readonly retrainingRequested: boolean;
}

const violationSchema = z.object({
  featureName: z.string(),
  constraintCheckType: z.string().min(1),
  description: z.string(),
  value: z.number().nullish(),
  threshold: z.number().nullish(),
});

const detailSchema = z.looseObject({
  model: z.string(),
  job: z.enum(['data', 'quality']),
  runId: z.string().min(1),
  window: windowRangeSchema,
  violations: z.array(violationSchema),
  reportUri: z.string(),
  totalViolations: z.number().int().nonnegative().optional(),
  /** what the run knew of drift evidence and harm (issue 12); absent from runs without sequential verdicts */
  evidence: verdictContextSchema.optional(),
});

/** a run's alert is handled once: a redelivered event finds its claim (kept long past any redelivery) */
const RUN_CLAIM_SECONDS = 7 * 86_400;
const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The alert router, on `Monitoring Violations Detected`. Grades every violation (severity-policy.ts), then per
 * model and check claims the right to notify through the state table's conditional write: a check that alerted
 * within `alerts.cooldownMinutes` stays quiet unless it got worse (a higher severity breaks through). The checks
 * that claimed make one message, worst first, with what is violated, by how much, since when, and links to the
 * report and the dashboard, sent to the topic of its severity (email gets the long form, SMS one line). A
 * critical alert of a model with `retraining.startOnCritical` publishes `Retraining Requested`. If sending fails
 * after the claims, they are cleared, so the retry notifies.
 */
export const makeAlertRouterHandler = (deps: AlertRouterDeps) => {
  const { alerts, logger } = deps;
  const lookbackMs = deps.lookbackMs ?? DEFAULT_LOOKBACK_MS;

  return async (event: unknown): Promise<AlertRouterResult> => {
    const { model, trigger } = parseJobEvent(event, detailSchema);
    const detail = trigger.detail;
    const none = (
      outcome: AlertRouterResult['outcome'],
      severity: Severity | null = null,
      retrainingRequested = false,
    ): AlertRouterResult => ({
      runId: detail.runId,
      outcome,
      severity,
      checks: [],
      messageId: null,
      retrainingRequested,
    });
    if (detail.violations.length === 0) return none('nothing');

    const now = deps.now();
    const factor = model.alerts.criticalFactor;
    const classified: ClassifiedViolation[] = detail.violations
      .map(
        (v): MonitoringViolation => ({
          featureName: v.featureName,
          constraintCheckType: v.constraintCheckType as MonitoringViolation['constraintCheckType'],
          description: v.description,
          ...(v.value === undefined || v.value === null ? {} : { value: v.value }),
          ...(v.threshold === undefined || v.threshold === null ? {} : { threshold: v.threshold }),
        }),
      )
      .map((v) => ({ ...v, severity: severityFor(model, v, detail.evidence) }))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const byCheck = new Map<string, ClassifiedViolation[]>();
    for (const v of classified)
      byCheck.set(v.constraintCheckType, [...(byCheck.get(v.constraintCheckType) ?? []), v]);
    const runSeverity = maxSeverity(classified.map((v) => v.severity));
    const context = { model: model.name, runId: detail.runId };

    // a redelivered event has the same checks; a re-evaluated window whose checks changed is a new alert
    const checksDigest = createHash('sha256')
      .update([...byCheck.keys()].sort().join(','))
      .digest('hex')
      .slice(0, 16);
    const runSlot = `run#${detail.runId}#${checksDigest}`;
    if (!(await alerts.shouldNotify(model.name, runSlot, runSeverity, now, RUN_CLAIM_SECONDS))) {
      logger.info('alert already handled for this run', context);
      return none('duplicate', runSeverity);
    }
    const claimed: string[] = [];
    const release = async (): Promise<void> => {
      for (const slot of [...claimed.map((check) => `${detail.job}.${check}`), runSlot]) {
        try {
          await alerts.clear(model.name, slot);
        } catch (error) {
          logger.error('alert claim not cleared', { ...context, slot, ...errorSummary(error) });
        }
      }
    };
    // retraining is decided on every run, apart from notification: a check quiet in its cooldown may still be
    // failing window after window; asked for before notifying, since a duplicate request is refused by the
    // workflow's lock and a lost one is not
    const triggerStreaks = await checkStreaks({
      runs: deps.runs,
      model: model.name,
      job: detail.job,
      windowStart: detail.window.start,
      checks: [...byCheck.keys()].filter((check) => model.retraining?.triggerChecks.includes(check as never)),
      lookbackMs,
    });
    const retraining = decideRetraining(model, classified, triggerStreaks);
    if (retraining.request) {
      const request: RetrainingRequestedDetail = {
        model: model.name,
        reason: `${retraining.reason} in ${detail.job} run ${detail.runId}`,
        alertId: detail.runId,
        severity: runSeverity,
      };
      await deps.events.publish([
        { detailType: DETAIL_TYPES.retrainingRequested, detail: { ...request }, time: now },
      ]);
      logger.info('retraining requested', { ...context, reason: retraining.reason });
    }
    const retrainingRequested = retraining.request;

    try {
      const cooldown = model.alerts.cooldownMinutes * 60;
      for (const [check, violations] of byCheck) {
        const severity = maxSeverity(violations.map((v) => v.severity));
        if (await alerts.shouldNotify(model.name, `${detail.job}.${check}`, severity, now, cooldown))
          claimed.push(check);
      }
      const quieted = [...byCheck.keys()].filter((check) => !claimed.includes(check));
      if (claimed.length === 0) {
        logger.info('every violated check is in its cooldown', { ...context, checks: quieted });
        return none('quiet', runSeverity, retrainingRequested);
      }
      const alerting = classified.filter((v) => claimed.includes(v.constraintCheckType));
      const severity = maxSeverity(alerting.map((v) => v.severity));
      const worstCheck = alerting[0]?.constraintCheckType ?? claimed[0] ?? 'unknown';

      const streaks = await checkStreaks({
        runs: deps.runs,
        model: model.name,
        job: detail.job,
        windowStart: detail.window.start,
        checks: claimed,
        lookbackMs,
      });
      const text = renderAlert(
        {
          model: model.name,
          job: detail.job,
          runId: detail.runId,
          window: detail.window,
          severity,
          violations: alerting,
          totalViolations: detail.totalViolations ?? detail.violations.length,
          quieted,
          streaks,
          reportUri: detail.reportUri,
          retrainingRequested,
          criticalFactor: factor,
        },
        deps.links,
      );
      const { messageId } = await deps.notifier.notify({
        topicArn: deps.topics[severity],
        subject: text.subject,
        longText: text.longText,
        shortText: text.shortText,
        severity,
        model: model.name,
        check: worstCheck,
      });
      logger.info('alert sent', {
        ...context,
        severity,
        checks: claimed,
        quieted,
        messageId,
        retrainingRequested,
      });
      return {
        runId: detail.runId,
        outcome: 'notified',
        severity,
        checks: claimed,
        messageId,
        retrainingRequested,
      };
    } catch (error) {
      // the claims said "notified": take them back, so the retry of this event can notify
      await release();
      throw error;
    }
  };
};
