import { randomUUID } from 'node:crypto';
import { InferenceError } from '../adapters/errors.ts';
import type { InferenceClient } from '../adapters/inference.ts';
import { utcMinuteSecondMillis } from '../adapters/key-parts.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RetryPolicy } from '../adapters/retry.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import { groundTruthHourPrefix } from '../adapters/s3-layout.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { describeIssue } from '../handler-kit/job-event.ts';
import type { CaptureRoute } from '../shared/config/capture-routes.ts';
import { authorizeProducer } from '../shared/producer-access.ts';
import { captureLine, groundTruthLine } from './capture-line.ts';
import {
  type CaptureRecordInput,
  type CaptureRouteKind,
  type FunctionUrlEvent,
  type FunctionUrlResult,
  functionUrlEventSchema,
  header,
  labelsBodySchema,
  matchRoute,
  recordsBodySchema,
} from './capture-request.ts';
import { type CaptureRouteLookup, routesFromList } from './capture-route-lookup.ts';
import { type CaptureSink, CaptureWriteError, DEFAULT_CAPTURE_RETRY, putWithRetry } from './capture-sink.ts';
import { bodyBytes, json, parseBody, payloadBytes } from './http.ts';
import { HttpError } from './http-error.ts';

export interface CaptureApiDeps {
  /** the route of a model by name (the models table in the cloud: capture-route-lookup.ts), or a list of them */
  readonly routes: readonly CaptureRoute[] | CaptureRouteLookup;
  /** durable capture writes: direct in the Lambda, a CaptureBatcher in long-lived processes */
  readonly sink: CaptureSink;
  /** where labels posted to the API are written as ground truth */
  readonly store: ObjectStore;
  readonly inference: InferenceClient;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /** in [0, 1), for sampling; @default Math.random */
  readonly random?: () => number;
  /** retries of label writes; @default DEFAULT_CAPTURE_RETRY */
  readonly retry?: RetryPolicy;
}

/**
 * The capture API (Lambda Function URL, IAM auth). Proxy mode invokes the model's SageMaker endpoint and records
 * request and response; records mode accepts request/response pairs made elsewhere; both sample by the route's
 * percentage and write SageMaker capture records under `capture/<endpoint>/<variant>/yyyy/mm/dd/hh/`. A 2xx is
 * sent only once the records are durably written; when they cannot be (after retries), the answer is 503 with
 * `retryable: true` and the eventIds assigned, so the client can send the same records again.
 */
export const makeCaptureApiHandler = (deps: CaptureApiDeps) => {
  const { sink, inference, metrics, logger } = deps;
  const newId = deps.newId ?? randomUUID;
  const random = deps.random ?? Math.random;
  const retry = deps.retry ?? DEFAULT_CAPTURE_RETRY;
  const routeOf = typeof deps.routes === 'function' ? deps.routes : routesFromList(deps.routes);
  const sampled = (route: CaptureRoute): boolean => random() * 100 < route.samplingPercentage;
  const location = (route: CaptureRoute) => ({
    endpointName: route.endpointName,
    variantName: route.variantName,
    ...(route.transport ? { transport: route.transport } : {}),
  });

  const recordCaptured = (route: CaptureRoute, count: number, at: Date): void => {
    if (count === 0) return;
    const { skipped } = metrics.publishCapture({ model: route.model, records: count, at });
    if (skipped.length > 0) logger.warn('capture metrics skipped', { model: route.model, skipped });
  };

  const writeCapture = async (route: CaptureRoute, lines: string[], eventIds: string[]): Promise<void> => {
    try {
      await sink.write(location(route), lines);
    } catch (error) {
      logger.error('capture not written', {
        model: route.model,
        records: lines.length,
        ...errorSummary(error),
      });
      if (error instanceof CaptureWriteError) {
        throw new HttpError(503, 'capture could not be stored; send the same records again', {
          retryable: true,
          eventIds,
        });
      }
      throw error;
    }
  };

  /** a caller the model's producers do not name gets 403; the attempt is logged (who, model, kind) and counted */
  const authorize = (route: CaptureRoute, kind: CaptureRouteKind, event: FunctionUrlEvent): void => {
    // a proxied invocation writes capture records: it is the records producers' to make
    const producerKind = kind === 'labels' ? 'labels' : 'records';
    const principal = event.requestContext.authorizer?.iam?.userArn;
    const decision = authorizeProducer(principal, route.producers, producerKind);
    if (decision.allowed) return;
    logger.warn('producer refused', { principal: principal ?? null, model: route.model, kind: producerKind });
    const { skipped } = metrics.publishRefusal({ model: route.model, at: deps.now() });
    if (skipped.length > 0) logger.warn('refusal metric skipped', { model: route.model, skipped });
    throw new HttpError(403, decision.reason);
  };

  const invoke = async (route: CaptureRoute, event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    if (!route.invokeEndpoint) {
      throw new HttpError(
        404,
        `model ${route.model} is not served by a SageMaker endpoint; POST its records to /models/${route.model}/records`,
      );
    }
    const contentType = header(event.headers, 'content-type');
    if (!contentType) throw new HttpError(400, 'headers.content-type: is required');
    const accept = header(event.headers, 'accept');
    const inferenceId =
      header(event.headers, 'x-amzn-sagemaker-inference-id') ??
      header(event.headers, 'x-model-care-inference-id');
    const body = bodyBytes(event);
    const inferenceTime = deps.now();
    const result = await inference.invokeEndpoint({
      endpoint: route.invokeEndpoint,
      contentType,
      accept,
      body,
      inferenceId,
    });
    const eventId = newId();
    const captured = sampled(route);
    if (captured) {
      const line = captureLine({
        eventId,
        inferenceId,
        inferenceTime,
        request: { contentType, body },
        response: {
          contentType: result.contentType ?? accept ?? 'application/octet-stream',
          body: result.body,
        },
      });
      await writeCapture(route, [line], [eventId]);
      recordCaptured(route, 1, inferenceTime);
    }
    return {
      statusCode: 200,
      headers: {
        'content-type': result.contentType ?? 'application/octet-stream',
        'x-model-care-event-id': eventId,
        'x-model-care-captured': String(captured),
        ...(result.invokedVariant ? { 'x-amzn-invoked-production-variant': result.invokedVariant } : {}),
      },
      body: Buffer.from(result.body).toString('base64'),
      isBase64Encoded: true,
    };
  };

  const acceptRecords = async (route: CaptureRoute, event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    const { records } = parseBody(recordsBodySchema, event);
    const receivedAt = deps.now();
    const lines: string[] = [];
    const capturedIds: string[] = [];
    const answers = records.map((record: CaptureRecordInput, i) => {
      const eventId = record.eventId ?? newId();
      const captured = sampled(route);
      if (captured) {
        lines.push(
          captureLine({
            eventId,
            inferenceId: record.inferenceId,
            inferenceTime: record.inferenceTime ? new Date(record.inferenceTime) : receivedAt,
            request: {
              contentType: record.request.contentType,
              body: payloadBytes(record.request, `body.records[${i}].request`),
            },
            response: {
              contentType: record.response.contentType,
              body: payloadBytes(record.response, `body.records[${i}].response`),
            },
          }),
        );
        capturedIds.push(eventId);
      }
      return { eventId, ...(record.inferenceId ? { inferenceId: record.inferenceId } : {}), captured };
    });
    await writeCapture(route, lines, capturedIds);
    recordCaptured(route, lines.length, receivedAt);
    return json(200, { captured: lines.length, records: answers });
  };

  const acceptLabels = async (route: CaptureRoute, event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    const { labels } = parseBody(labelsBodySchema, event);
    const at = deps.now();
    const body = labels
      .map((label) =>
        groundTruthLine({
          // Model Monitor joins on inferenceId when present, else eventId; the record needs an eventId either way
          eventId: label.eventId ?? newId(),
          inferenceId: label.inferenceId,
          data: String(label.label),
          time: at,
        }),
      )
      .join('');
    const key = `${groundTruthHourPrefix(route.model, at)}${utcMinuteSecondMillis(at)}-${newId()}.jsonl`;
    try {
      await putWithRetry(deps.store, key, body, 'application/jsonlines', retry);
    } catch (error) {
      logger.error('labels not written', {
        model: route.model,
        labels: labels.length,
        ...errorSummary(error),
      });
      if (error instanceof CaptureWriteError) {
        throw new HttpError(503, 'labels could not be stored; send them again', { retryable: true });
      }
      throw error;
    }
    return json(200, { written: labels.length });
  };

  return async (raw: unknown): Promise<FunctionUrlResult> => {
    const parsed = functionUrlEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEventError(issue ? describeIssue('event', issue) : 'event: invalid');
    }
    const event = parsed.data;
    try {
      const route = matchRoute(event.rawPath);
      if (!route)
        throw new HttpError(404, 'no such route: use /models/{model}/invocations, /records or /labels');
      const config = await routeOf(route.model);
      if (!config) throw new HttpError(404, `unknown model ${JSON.stringify(route.model)}`);
      if (event.requestContext.http.method.toUpperCase() !== 'POST') {
        throw new HttpError(405, 'only POST is accepted');
      }
      authorize(config, route.kind, event);
      if (route.kind === 'invocations') return await invoke(config, event);
      if (route.kind === 'records') return await acceptRecords(config, event);
      return await acceptLabels(config, event);
    } catch (error) {
      if (error instanceof HttpError) {
        return json(
          error.statusCode,
          { error: error.message, ...error.extra },
          error.statusCode === 405 ? { allow: 'POST' } : {},
        );
      }
      if (error instanceof InferenceError) {
        // the model's own message may echo the request: it is logged, not returned
        logger.warn('endpoint invocation failed', {
          endpoint: error.endpoint,
          failure: error.failure,
          detail: error.detail,
        });
        return json(error.statusCode, { error: error.message, retryable: error.retryable });
      }
      logger.error('capture request failed', errorSummary(error));
      return json(500, { error: 'internal error' });
    }
  };
};
