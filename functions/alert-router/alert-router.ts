import * as z from 'zod';
import { ALL_CHECKS, type AlertBook } from '../adapters/alert-book.ts';
import type { AlertStateRepository } from '../adapters/alert-state-repository.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { Notifier } from '../adapters/notifier.ts';
import type { RunRepository } from '../adapters/run-repository.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import { readJobEvent, windowRangeSchema } from '../handler-kit/job-event.ts';
import type { Severity } from '../shared/config/vocabulary.ts';
import { DETAIL_TYPES, type RetrainingRequestedDetail } from '../shared/events.ts';
import { verdictContextSchema } from '../shared/verdict-context.ts';
import { checkSlotOf, claimChecks, RUN_CLAIM_SECONDS, releaseClaims, runSlotOf } from './alert-claims.ts';
import { type AlertLinks, s3ConsoleLink } from './alert-links.ts';
import { renderAlert } from './alert-message.ts';
import { checkStreaks } from './check-streaks.ts';
import { classifyViolations } from './classify-violations.ts';
import { severityFor } from './harm-severity.ts';
import { decideRetraining } from './retraining-trigger.ts';
import { maxSeverity } from './severity-policy.ts';
import { shellQuote } from './text-safety.ts';

/** how on-call takes or silences the alert, in the e-mail (the stack name is the reader's to fill in) */
const onCallLines = (model: string, alertId: string, muted: readonly string[]): string =>
  [
    'On call:',
    `  acknowledge: model-care alerts ack ${shellQuote(alertId)} --stack <stack>`,
    `  mute:        model-care alerts mute ${shellQuote(model)} --for 4h --reason '...' --stack <stack>`,
    ...(muted.length > 0 ? [`  muted now, not in this alert: ${muted.join(', ')}`] : []),
  ].join('\n');

export interface AlertRouterDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
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
  /**
   * mutes to honour and the record of every alert handled (sent, or held back by a mute), which
   * acknowledgements find; @default - no mutes, nothing recorded
   */
  readonly book?: AlertBook;
  /** how far back "since when" looks; @default 7 days */
  readonly lookbackMs?: number;
}

export interface AlertRouterResult {
  readonly runId: string;
  /**
   * notified; duplicate: this run's alert was already handled; quiet: every check is in its cooldown; muted:
   * every violated check is muted (the alert is recorded as suppressed)
   */
  readonly outcome: 'notified' | 'duplicate' | 'quiet' | 'muted' | 'nothing';
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

const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The alert router, on `Monitoring Violations Detected`. Grades every violation (harm-severity.ts: by harm, or
 * by margin as the model's `verdicts.severity` says), then per model and check claims the right to notify through the state table's conditional write: a check that alerted
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
    const { model, trigger } = await readJobEvent(event, detailSchema, deps.configs);
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
    const {
      violations: classified,
      byCheck,
      severity: runSeverity,
    } = classifyViolations(detail.violations, (v) => severityFor(model, v, detail.evidence));
    const context = { model: model.name, runId: detail.runId };

    const runSlot = runSlotOf(detail.runId, byCheck.keys());
    if (!(await alerts.shouldNotify(model.name, runSlot, runSeverity, now, RUN_CLAIM_SECONDS))) {
      logger.info('alert already handled for this run', context);
      return none('duplicate', runSeverity);
    }
    const claimed: string[] = [];
    const release = (): Promise<void> =>
      releaseClaims(
        alerts,
        model.name,
        [...claimed.map((check) => checkSlotOf(detail.job, check)), runSlot],
        logger,
        context,
      );
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

    // a mute silences people, not the checks: retraining above was still decided, the alert is still recorded
    const mutes = deps.book ? await deps.book.activeMutes(model.name, now) : [];
    const mutesOf = (check: string) => mutes.filter((m) => m.check === ALL_CHECKS || m.check === check);
    const muted = [...byCheck.keys()].filter((check) => mutesOf(check).length > 0);
    const unmuted = new Map([...byCheck].filter(([check]) => !muted.includes(check)));
    if (deps.book && unmuted.size === 0) {
      await deps.book.recordAlert({
        alertId: detail.runId,
        model: model.name,
        job: detail.job,
        severity: runSeverity,
        checks: muted,
        at: now.toISOString(),
        status: 'suppressed',
        mutedBy: [
          ...new Set(
            muted.flatMap((check) => mutesOf(check).map((m) => `${m.reason} (until ${m.until}, ${m.by})`)),
          ),
        ],
      });
      logger.info('alert suppressed by a mute', { ...context, checks: muted });
      return none('muted', runSeverity, retrainingRequested);
    }

    try {
      await claimChecks(
        alerts,
        {
          model: model.name,
          job: detail.job,
          byCheck: unmuted,
          now,
          cooldownSeconds: model.alerts.cooldownMinutes * 60,
        },
        claimed,
      );
      const quieted = [...unmuted.keys()].filter((check) => !claimed.includes(check));
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
        longText: `${text.longText}\n\n${onCallLines(model.name, detail.runId, muted)}`,
        shortText: text.shortText,
        severity,
        model: model.name,
        check: worstCheck,
        // the run id is the alert's id: paging dedupes on it, `model-care alerts ack` names it
        alertId: detail.runId,
        link: s3ConsoleLink(detail.reportUri, deps.links.region),
      });
      if (deps.book) {
        try {
          await deps.book.recordAlert({
            alertId: detail.runId,
            model: model.name,
            job: detail.job,
            severity,
            checks: claimed,
            at: now.toISOString(),
            status: 'sent',
          });
        } catch (error) {
          // the alert reached people: failing now would release the claims and send it twice; without the
          // record only its acknowledgement is refused (as unknown), which the log explains
          logger.error('alert sent but not recorded: it cannot be acknowledged', {
            ...context,
            ...errorSummary(error),
          });
        }
      }
      logger.info('alert sent', {
        ...context,
        severity,
        checks: claimed,
        quieted,
        muted,
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
