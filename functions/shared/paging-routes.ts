import * as z from 'zod';
import { SEVERITIES } from './config/vocabulary.ts';

/**
 * What the pager notifier knows of where to page, set by lib/constructs/on-call.ts: per severity topic, the
 * services to page with their endpoint and the secret holding their key (never the key). CloudWatch
 * alarm notifications carry no severity attribute, so the topic a message came from says it.
 */
export const PAGING_SERVICES = ['pagerduty', 'opsgenie'] as const;
export type PagingService = (typeof PAGING_SERVICES)[number];

export const pagingTargetSchema = z.object({
  service: z.enum(PAGING_SERVICES),
  url: z.string().regex(/^https:\/\//, 'is not an https URL'),
  /** the Secrets Manager secret's name or ARN, as the config gives it (GetSecretValue takes either) */
  secretId: z.string().min(1),
});
export type PagingTarget = z.output<typeof pagingTargetSchema>;

export const pagingRouteSchema = z.object({
  topicArn: z.string().min(1),
  severity: z.enum(SEVERITIES),
  targets: z.array(pagingTargetSchema).min(1),
});
export type PagingRoute = z.output<typeof pagingRouteSchema>;
