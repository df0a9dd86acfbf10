import * as z from 'zod';
import type { HttpsPoster } from '../adapters/https/https-poster.ts';
import type { SecretReader } from '../adapters/secrets/secret-reader.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { describeIssue } from '../handler-kit/job-event.ts';
import type { PagingRoute, PagingTarget } from '../shared/paging-routes.ts';
import { opsgenieRequest, type Page, pageOf, pagerDutyRequest } from './pages.ts';

export interface PagerNotifierDeps {
  readonly routes: readonly PagingRoute[];
  readonly secrets: SecretReader;
  readonly https: HttpsPoster;
  readonly logger: HandlerLogger;
}

const snsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        Sns: z.object({
          MessageId: z.string().min(1),
          TopicArn: z.string().min(1),
          Subject: z.string().nullish(),
          Message: z.string(),
        }),
      }),
    )
    .min(1),
});

export interface Delivery {
  readonly service: PagingTarget['service'];
  readonly action: Page['action'];
  readonly dedupKey: string;
  /** sent: accepted (2xx); refused: a 4xx that a retry would not change; retry: worth another attempt */
  readonly outcome: 'sent' | 'refused' | 'retry';
  readonly status?: number;
}

/** Some page could not be delivered for a reason a retry may fix: Lambda's asynchronous retries send it again. */
export class PagingDeliveryError extends Error {
  override readonly name = 'PagingDeliveryError';
}

/**
 * The pager notifier, subscribed to the severity topics that have paging services: each message becomes a
 * PagerDuty or Opsgenie event (pages.ts) sent over HTTPS with the key read from Secrets Manager. Every target
 * is tried; a retryable failure (throttling, 5xx, unreachable) fails the invocation after the others were
 * sent, so the retry repeats an event the services dedupe by key. A 4xx is logged and dropped: the same
 * request would be refused again. Keys and the answers' bodies stay out of the log.
 */
export const makePagerNotifierHandler = (deps: PagerNotifierDeps) => {
  const { logger } = deps;
  const routeOf = new Map(deps.routes.map((route) => [route.topicArn, route]));

  const deliver = async (target: PagingTarget, page: Page): Promise<Delivery> => {
    const base = { service: target.service, action: page.action, dedupKey: page.dedupKey };
    try {
      const key = await deps.secrets.read(target.secretId);
      const request =
        target.service === 'pagerduty'
          ? pagerDutyRequest(page, target.url, key)
          : opsgenieRequest(page, target.url, key);
      const answer = await deps.https.post(request.url, request.headers, request.body);
      if (answer.status >= 200 && answer.status < 300)
        return { ...base, outcome: 'sent', status: answer.status };
      const retry = answer.status === 429 || answer.status >= 500;
      return { ...base, outcome: retry ? 'retry' : 'refused', status: answer.status };
    } catch (error) {
      logger.warn('page not delivered', { ...base, ...errorSummary(error) });
      // an unreachable service or a Secrets Manager hiccup may pass; anything else is logged and retried too,
      // since a lost page is worse than a repeated one (the service dedupes)
      return { ...base, outcome: 'retry' };
    }
  };

  return async (event: unknown): Promise<Delivery[]> => {
    const parsed = snsEventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEventError(issue ? describeIssue('event', issue) : 'event: invalid');
    }
    const deliveries: Delivery[] = [];
    for (const { Sns } of parsed.data.Records) {
      const route = routeOf.get(Sns.TopicArn);
      if (!route) {
        logger.warn('message from a topic without paging targets ignored', { messageId: Sns.MessageId });
        continue;
      }
      const page = pageOf(
        { messageId: Sns.MessageId, subject: Sns.Subject, message: Sns.Message },
        route.severity,
      );
      if (!page) continue;
      for (const target of route.targets) deliveries.push(await deliver(target, page));
    }
    for (const d of deliveries) {
      const fields = { service: d.service, action: d.action, dedupKey: d.dedupKey, status: d.status };
      if (d.outcome === 'sent') logger.info('page delivered', fields);
      else if (d.outcome === 'refused') logger.error('page refused by the service', fields);
    }
    const retry = deliveries.filter((d) => d.outcome === 'retry');
    if (retry.length > 0) {
      throw new PagingDeliveryError(
        `${retry.length} page(s) not delivered, to be retried: ${retry.map((d) => `${d.service} ${d.action} ${d.dedupKey}`).join(', ')}`,
      );
    }
    return deliveries;
  };
};
