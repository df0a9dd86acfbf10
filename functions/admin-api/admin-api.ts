import { AlertNotFoundError } from '../adapters/alert-book.ts';
import {
  CorruptRecordError,
  InvalidKeyPartError,
  InvalidRecordError,
  RecordTooLargeError,
} from '../adapters/errors.ts';
import {
  ModelConfigConflictError,
  ModelNotFoundError,
  ModelRemovedError,
  type StoredModel,
} from '../adapters/model-store.ts';
import type { FunctionUrlResult } from '../capture-api/capture-request.ts';
import { bodyBytes, json } from '../capture-api/http.ts';
import { HttpError } from '../capture-api/http-error.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { describeIssue } from '../handler-kit/job-event.ts';
import { ConfigError } from '../shared/config/config-error.ts';
import {
  type AdminEvent,
  adminEventSchema,
  etag,
  matchAdminRoute,
  parseIfMatch,
  parseReason,
  parseVersionParameter,
} from './admin-request.ts';
import type { ModelAdmin, ModelChangeOutcome } from './model-admin.ts';
import { ModelSideEffectsError } from './model-side-effects.ts';
import type { OnCallAdmin } from './on-call-admin.ts';
import { matchOnCallRoute } from './on-call-routes.ts';

export interface AdminApiDeps {
  readonly admin: ModelAdmin;
  readonly logger: HandlerLogger;
  /** acknowledge and mute (on-call-routes.ts); @default - those routes answer 404 */
  readonly onCall?: OnCallAdmin;
}

const header = (event: AdminEvent, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
};

const stored = ({ record, current }: StoredModel) => ({ ...record, current });

const changeBody = (outcome: ModelChangeOutcome) => ({
  name: outcome.record.name,
  version: outcome.record.version,
  change: outcome.record.change,
  changed: outcome.changed,
  status: outcome.current.status,
  changedPaths: outcome.record.changedPaths,
  sideEffects: outcome.sideEffects,
});

/** the answer for an error the caller can act on; anything else is a 500 with nothing of its detail */
const answer = (error: unknown): FunctionUrlResult | undefined => {
  if (error instanceof HttpError) {
    const { allow, ...extra } = error.extra;
    return json(error.statusCode, { error: error.message, ...extra }, allow ? { allow: String(allow) } : {});
  }
  if (error instanceof ConfigError) return json(400, { error: error.message });
  if (error instanceof RecordTooLargeError) return json(413, { error: error.message });
  if (error instanceof InvalidRecordError || error instanceof InvalidKeyPartError) {
    return json(400, { error: error.message });
  }
  if (error instanceof ModelConfigConflictError) {
    return json(409, { error: error.message, currentVersion: error.currentVersion, status: error.status });
  }
  if (error instanceof ModelNotFoundError) return json(404, { error: error.message });
  if (error instanceof AlertNotFoundError) return json(404, { error: error.message });
  if (error instanceof ModelRemovedError) {
    return json(410, { error: error.message, removedVersion: error.removedVersion });
  }
  if (error instanceof ModelSideEffectsError) {
    return json(503, { error: error.message, version: error.version, retryable: true });
  }
  return undefined;
};

/**
 * The admin API (Lambda Function URL, AWS_IAM auth): models as data. Who made a change is the principal the
 * Function URL authenticated; a request without one is refused rather than recorded as nobody.
 */
export const makeAdminApiHandler = (deps: AdminApiDeps) => {
  const { admin, logger } = deps;

  const handle = async (event: AdminEvent, principal: string): Promise<FunctionUrlResult> => {
    const method = event.requestContext.http.method.toUpperCase();
    const onCallRoute = deps.onCall ? matchOnCallRoute(event.rawPath) : undefined;
    if (onCallRoute && deps.onCall) {
      if (method !== 'POST') throw new HttpError(405, 'only POST here', { allow: 'POST' });
      const text = bodyBytes(event).toString('utf8');
      let body: unknown;
      try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        throw new HttpError(400, 'body: is not JSON');
      }
      if (onCallRoute.kind === 'ack') {
        const { alert, already } = await deps.onCall.acknowledge({
          alertId: onCallRoute.alertId,
          body,
          principal,
        });
        return json(200, { alertId: alert.alertId, acknowledged: alert.acknowledged, already });
      }
      return json(200, await deps.onCall.mute({ model: onCallRoute.model, body, principal }));
    }
    const route = matchAdminRoute(event.rawPath);
    if (!route) {
      throw new HttpError(404, 'no such route: use /models, /models/{name} or /models/{name}/history');
    }
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const allow = (methods: string[]) => {
      if (!methods.includes(method)) {
        throw new HttpError(405, `only ${methods.join(', ')} here`, { allow: methods.join(', ') });
      }
    };

    if (route.kind === 'list') {
      allow(['GET']);
      return json(200, { models: await admin.list({ includeRemoved: query.get('all') === 'true' }) });
    }
    if (route.kind === 'history') {
      allow(['GET']);
      return json(200, { name: route.name, history: await admin.history(route.name) });
    }
    allow(['GET', 'PUT', 'DELETE']);
    if (method === 'GET') {
      const version = parseVersionParameter(query.get('version'));
      const model = await admin.get(route.name, version);
      if (version === undefined && model.current.status === 'removed') {
        throw new ModelRemovedError(route.name, model.current.version);
      }
      return json(200, stored(model), { etag: etag(model.current.version) });
    }
    const reason = parseReason(query.get('reason'));
    const expectedVersion = parseIfMatch(header(event, 'if-match'));
    if (method === 'DELETE') {
      if (expectedVersion === undefined) {
        throw new HttpError(428, 'headers.if-match: is required: the version you mean to remove');
      }
      const outcome = await admin.remove({ name: route.name, expectedVersion, principal, reason });
      return json(200, changeBody(outcome), { etag: etag(outcome.record.version) });
    }
    let input: unknown;
    try {
      input = JSON.parse(bodyBytes(event).toString('utf8'));
    } catch {
      throw new HttpError(400, 'body: is not JSON');
    }
    const outcome = await admin.put({
      input,
      source: 'body',
      name: route.name,
      expectedVersion,
      recreate: query.get('recreate') === 'true',
      principal,
      reason,
    });
    const created =
      outcome.changed && (outcome.record.previousVersion === null || outcome.record.change === 'recreate');
    return json(created ? 201 : 200, changeBody(outcome), { etag: etag(outcome.record.version) });
  };

  return async (raw: unknown): Promise<FunctionUrlResult> => {
    const parsed = adminEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEventError(issue ? describeIssue('event', issue) : 'event: invalid');
    }
    const event = parsed.data;
    const principal = event.requestContext.authorizer?.iam?.userArn;
    if (!principal) {
      logger.warn('admin request without a caller identity refused', { path: event.rawPath });
      return json(403, { error: 'the admin API needs AWS_IAM auth: no caller identity in the request' });
    }
    try {
      return await handle(event, principal);
    } catch (error) {
      const known = answer(error);
      if (known) {
        const { allow, ...extra } = JSON.parse(known.body) as { allow?: string };
        if (allow) return { ...known, headers: { ...known.headers, allow }, body: JSON.stringify(extra) };
        if (known.statusCode >= 500)
          logger.error('admin request failed', { principal, ...errorSummary(error) });
        return known;
      }
      if (error instanceof CorruptRecordError)
        logger.error('model store item unreadable', errorSummary(error));
      else logger.error('admin request failed', { principal, ...errorSummary(error) });
      return json(500, { error: 'internal error' });
    }
  };
};
