import * as z from 'zod';
import { ALL_CHECKS, type AlertBook, type AlertRecord } from '../adapters/alert-book.ts';
import type { AuditLog } from '../adapters/audit-log.ts';
import type { ModelStore } from '../adapters/model-store.ts';
import { ModelRemovedError } from '../adapters/model-store.ts';
import { HttpError } from '../capture-api/http-error.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';

/**
 * On-call's two actions on alerts (issue 15): acknowledge an alert (someone took it) and mute a model's alerts
 * for a while (the router holds them back and records them). Each is checked before anything is written
 * (a mute longer than `onCall.maxMuteHours`, an unknown model or alert: one line, no change) and recorded in
 * the audit trail after it is written.
 */

export interface OnCallAdminDeps {
  readonly book: AlertBook;
  readonly audit: AuditLog;
  readonly models: Pick<ModelStore, 'get'>;
  /** `onCall.maxMuteHours` */
  readonly maxMuteHours: number;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

export interface MuteRequest {
  readonly model: string;
  /** the request body, not yet validated */
  readonly body: unknown;
  readonly principal: string;
}

export interface AckRequest {
  readonly alertId: string;
  readonly body: unknown;
  readonly principal: string;
}

const muteBody = z.strictObject({
  minutes: z.number().int().min(1, 'must be at least 1'),
  check: z
    .string()
    .regex(
      /^(?:\*|[a-z][a-z_]*_check)$/,
      'must be a check kind (baseline_drift_check, ...) or "*" for every check',
    )
    .default(ALL_CHECKS),
  reason: z.string().trim().min(1, 'must say why').max(500, 'is longer than 500 characters'),
});
const ackBody = z.strictObject({
  reason: z.string().trim().max(500, 'is longer than 500 characters').optional(),
});

const parseBody = <T extends z.ZodType>(schema: T, body: unknown): z.output<T> => {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : issue?.message;
  throw new HttpError(400, `body${path}: ${message ?? 'is invalid'}`);
};

export interface MuteOutcome {
  readonly model: string;
  readonly check: string;
  readonly until: string;
  readonly previousUntil: string | null;
}

export const makeOnCallAdmin = (deps: OnCallAdminDeps) => ({
  async mute(request: MuteRequest): Promise<MuteOutcome> {
    const body = parseBody(muteBody, request.body ?? {});
    const maxMinutes = deps.maxMuteHours * 60;
    if (body.minutes > maxMinutes) {
      throw new HttpError(
        400,
        `body.minutes: ${body.minutes} is longer than the longest mute allowed, ${maxMinutes} (onCall.maxMuteHours ${deps.maxMuteHours})`,
      );
    }
    // an unknown model answers 404 (ModelNotFoundError), a removed one 410
    const stored = await deps.models.get(request.model);
    if (stored.current.status === 'removed')
      throw new ModelRemovedError(request.model, stored.current.version);
    const now = deps.now();
    const until = new Date(now.getTime() + body.minutes * 60_000).toISOString();
    const { previousUntil } = await deps.book.setMute(
      {
        model: request.model,
        check: body.check,
        until,
        by: request.principal,
        reason: body.reason,
        at: now.toISOString(),
      },
      now,
    );
    await deps.audit.append({
      model: request.model,
      action: 'alert.muted',
      principal: request.principal,
      reason: body.reason,
      before: { check: body.check, mutedUntil: previousUntil },
      after: { check: body.check, mutedUntil: until },
    });
    deps.logger.info('alerts muted', {
      model: request.model,
      check: body.check,
      until,
      principal: request.principal,
    });
    return { model: request.model, check: body.check, until, previousUntil };
  },

  async acknowledge(
    request: AckRequest,
  ): Promise<{ readonly alert: AlertRecord; readonly already: boolean }> {
    const body = parseBody(ackBody, request.body ?? {});
    const { record, already } = await deps.book.acknowledge(request.alertId, {
      by: request.principal,
      at: deps.now(),
      ...(body.reason ? { reason: body.reason } : {}),
    });
    if (!already) {
      await deps.audit.append({
        model: record.model,
        action: 'alert.acknowledged',
        principal: request.principal,
        reason: body.reason ?? 'acknowledged',
        before: null,
        after: { alertId: record.alertId, check: record.checks[0] ?? 'unknown' },
      });
      deps.logger.info('alert acknowledged', { alertId: record.alertId, principal: request.principal });
    }
    return { alert: record, already };
  },
});
export type OnCallAdmin = ReturnType<typeof makeOnCallAdmin>;
