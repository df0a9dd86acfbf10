import * as z from 'zod';
import { alertPayloadSchema } from '../shared/alert-payload.ts';
import type { Severity } from '../shared/config/vocabulary.ts';

/**
 * What one SNS message on a severity topic means for a pager: open, acknowledge or close the page with a
 * dedupe key. Three kinds of message arrive: model-care alerts (their paging rendering, shared/alert-payload.ts;
 * the dedupe key is the alert id), CloudWatch alarm state changes (ALARM opens, OK closes, keyed by the alarm's
 * ARN, so the page resolves when the condition clears), and anything else published there (the retraining
 * workflow's approval requests and failures: opened, keyed by the SNS message id).
 */
export interface Page {
  readonly action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedupKey: string;
  readonly severity: Severity;
  /** one line */
  readonly summary: string;
  /** what raised it: `model-care/<model>`, `cloudwatch/<alarm>` */
  readonly source: string;
  readonly component?: string;
  readonly group?: string;
  readonly link?: string;
}

export interface SnsMessage {
  readonly messageId: string;
  readonly subject?: string | null;
  readonly message: string;
}

const alarmSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().min(1).optional(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string().optional(),
  AWSAccountId: z.string().optional(),
  Region: z.string().optional(),
});

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** PagerDuty cuts a summary at 1024 characters, Opsgenie a message at 130: keep one line, cut later */
const line = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The page a message asks for; undefined when it asks for none (an alarm going to INSUFFICIENT_DATA). */
export const pageOf = (sns: SnsMessage, topicSeverity: Severity): Page | undefined => {
  const json = parseJson(sns.message);
  const alert = alertPayloadSchema.safeParse(json);
  if (alert.success) {
    const a = alert.data;
    return {
      action: a.action,
      dedupKey: a.alertId,
      severity: a.severity,
      summary: line(a.subject || a.summary),
      source: `model-care/${a.model}`,
      component: a.model,
      group: a.check,
      ...(a.link === undefined ? {} : { link: a.link }),
    };
  }
  const alarm = alarmSchema.safeParse(json);
  if (alarm.success) {
    const { AlarmName, AlarmArn, NewStateValue, NewStateReason } = alarm.data;
    if (NewStateValue === 'INSUFFICIENT_DATA') return undefined;
    return {
      action: NewStateValue === 'ALARM' ? 'trigger' : 'resolve',
      dedupKey: AlarmArn ?? `cloudwatch/${AlarmName}`,
      severity: topicSeverity,
      summary: line(`${AlarmName}: ${NewStateReason ?? NewStateValue}`),
      source: `cloudwatch/${AlarmName}`,
      ...(alarm.data.Region
        ? {
            link: `https://${alarm.data.Region}.console.aws.amazon.com/cloudwatch/home?region=${alarm.data.Region}#alarmsV2:alarm/${encodeURIComponent(AlarmName)}`,
          }
        : {}),
    };
  }
  return {
    action: 'trigger',
    dedupKey: sns.messageId,
    severity: topicSeverity,
    summary: line(sns.subject || sns.message.slice(0, 300)) || 'model-care message',
    source: 'model-care',
  };
};

export interface PagingRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// PagerDuty Events API v2 severities
const PAGERDUTY_SEVERITY: Record<Severity, string> = {
  info: 'info',
  warning: 'warning',
  critical: 'critical',
};
const PAGERDUTY_SUMMARY_MAX = 1024;

/** PagerDuty Events API v2: `POST /v2/enqueue` with the routing key in the body; dedup_key ties the actions */
export const pagerDutyRequest = (page: Page, url: string, routingKey: string): PagingRequest => {
  const body =
    page.action === 'trigger'
      ? {
          routing_key: routingKey,
          event_action: 'trigger',
          dedup_key: page.dedupKey,
          payload: {
            summary: page.summary.slice(0, PAGERDUTY_SUMMARY_MAX),
            source: page.source,
            severity: PAGERDUTY_SEVERITY[page.severity],
            ...(page.component ? { component: page.component } : {}),
            ...(page.group ? { group: page.group, class: page.group } : {}),
          },
          ...(page.link ? { links: [{ href: page.link, text: 'model-care page' }] } : {}),
        }
      : { routing_key: routingKey, event_action: page.action, dedup_key: page.dedupKey };
  return { url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
};

// Opsgenie priorities: P1 highest
const OPSGENIE_PRIORITY: Record<Severity, string> = { info: 'P5', warning: 'P3', critical: 'P1' };
const OPSGENIE_MESSAGE_MAX = 130;
const OPSGENIE_ALIAS_MAX = 512;

/**
 * Opsgenie Alert API: create at `<url>`, acknowledge or close at `<url>/<alias>/(acknowledge|close)` with
 * `identifierType=alias`; the alias is the dedupe key (Opsgenie keeps one open alert per alias).
 */
export const opsgenieRequest = (page: Page, url: string, apiKey: string): PagingRequest => {
  const headers = { 'content-type': 'application/json', authorization: `GenieKey ${apiKey}` };
  const alias = page.dedupKey.slice(0, OPSGENIE_ALIAS_MAX);
  const base = url.replace(/\/+$/, '');
  if (page.action !== 'trigger') {
    const verb = page.action === 'resolve' ? 'close' : 'acknowledge';
    return {
      url: `${base}/${encodeURIComponent(alias)}/${verb}?identifierType=alias`,
      headers,
      body: JSON.stringify({ source: 'model-care', note: `model-care: ${verb}d` }),
    };
  }
  return {
    url: base,
    headers,
    body: JSON.stringify({
      message: page.summary.slice(0, OPSGENIE_MESSAGE_MAX),
      alias,
      description: [page.summary, ...(page.link ? [page.link] : [])].join('\n'),
      priority: OPSGENIE_PRIORITY[page.severity],
      source: page.source,
      ...(page.component ? { entity: page.component } : {}),
      tags: ['model-care', page.severity, ...(page.group ? [page.group] : [])],
    }),
  };
};
