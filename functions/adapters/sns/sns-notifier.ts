import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ALERT_PAYLOAD_FORMAT, type AlertPayload } from '../../shared/alert-payload.ts';
import { MESSAGE_ATTRIBUTES, type MessageKind } from '../../shared/events.ts';
import { NotificationError } from '../errors.ts';
import type { Notification, Notifier } from '../notifier.ts';
import { backoffDelayMs, type RetryPolicy, sleep } from '../retry.ts';

const defaultSns = new SNSClient({});
const defaultLogger = new Logger({ serviceName: 'model-care' });

/** SNS: "Subjects must be ... less than 100 characters long", no line breaks or control characters */
export const SUBJECT_MAX = 99;
/** one SMS segment is 160 GSM characters; longer messages are split and billed per part */
export const SMS_MAX = 160;
/**
 * SNS messages stop at 256 KB, counted over the whole JSON structure: the long form appears twice
 * (email and default), each capped at 110 KB once JSON-escaped, leaving room for the rest
 */
const LONG_FORM_MAX_JSON_BYTES = 110 * 1024;

/** the part of the Powertools Logger used here, so tests can look at what is logged */
export type NotifierLogger = Pick<Logger, 'info' | 'warn'>;

export interface SnsNotifierOptions {
  /**
   * Attempts when SNS throttles, on top of the SDK's own retries: an alert that is claimed (cooldown
   * started) but never sent is worse than a late one. @default 4 attempts, 200 ms .. 5 s full-jitter backoff
   */
  readonly retry?: RetryPolicy;
  readonly logger?: NotifierLogger;
}

const THROTTLING = new Set([
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'KMSThrottlingException',
]);

export const makeSnsNotifier = (sns: SNSClient = defaultSns, options: SnsNotifierOptions = {}): Notifier => {
  const retry = options.retry ?? { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, sleep };
  const logger = options.logger ?? defaultLogger;

  return {
    async notify(notification) {
      const command = new PublishCommand(publishInput(notification));
      // log identifiers only: the texts may quote user data and the ARN names the account
      const context = {
        model: notification.model,
        check: notification.check,
        severity: notification.severity,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          const out = await sns.send(command);
          const messageId = out.MessageId ?? '';
          logger.info('alert notification published', { ...context, messageId, attempts: attempt });
          return { messageId };
        } catch (error) {
          const code = error instanceof Error ? error.name : 'UnknownError';
          const throttled = THROTTLING.has(code);
          if (!throttled || attempt >= retry.maxAttempts) {
            logger.warn('alert notification failed', { ...context, code, attempts: attempt });
            throw new NotificationError(code, throttled, attempt, { cause: error });
          }
          await retry.sleep(backoffDelayMs(attempt, retry));
        }
      }
    },
  };
};

/**
 * One publish, three renderings: with `MessageStructure: 'json'` SNS gives each protocol its own key,
 * so email subscribers read the long form and SMS subscribers the one-liner. Message attributes let
 * subscriptions filter, e.g. SMS for `severity = critical` only.
 */
export const publishInput = (n: Notification) => ({
  TopicArn: n.topicArn,
  Subject: emailSubject(n.subject),
  MessageStructure: 'json' as const,
  Message: JSON.stringify({
    default: longForm(n.longText),
    email: longForm(n.longText),
    sms: oneLine(n.shortText, SMS_MAX),
    ...(n.alertId === undefined
      ? {}
      : {
          lambda: JSON.stringify(pagingPayload(n, n.alertId)),
          https: JSON.stringify(chatNotification(n, n.alertId)),
        }),
  }),
  // the names subscriptions filter on (events.ts); lib/ builds the per-model filter policies from the same constants
  MessageAttributes: {
    [MESSAGE_ATTRIBUTES.severity]: { DataType: 'String', StringValue: n.severity },
    [MESSAGE_ATTRIBUTES.model]: { DataType: 'String', StringValue: n.model },
    [MESSAGE_ATTRIBUTES.check]: { DataType: 'String', StringValue: n.check },
    [MESSAGE_ATTRIBUTES.kind]: { DataType: 'String', StringValue: 'alert' satisfies MessageKind },
    // alerts must not be delayed or dropped as marketing messages can be
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
  },
});

/** Printable ASCII on one line, at most SUBJECT_MAX characters, never empty. */
export const emailSubject = (subject: string): string => {
  const ascii = subject
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]+/g, ' ');
  return oneLine(ascii, SUBJECT_MAX) || 'model-care alert';
};

const oneLine = (text: string, max: number): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 3).trimEnd()}...`;
};

const TRUNCATED = '\n\n[truncated: the full report is linked above]';

/** The long text, cut (at a character boundary) until its JSON-escaped form fits the budget. */
const longForm = (text: string): string => {
  const jsonBytes = (value: string) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (jsonBytes(text) <= LONG_FORM_MAX_JSON_BYTES) return text;
  let keep = LONG_FORM_MAX_JSON_BYTES - jsonBytes(TRUNCATED);
  for (;;) {
    // a cut through a multi-byte character decodes to U+FFFD: drop it
    const cut = Buffer.from(text, 'utf8')
      .subarray(0, keep)
      .toString('utf8')
      .replace(/\uFFFD+$/, '');
    const candidate = `${cut}${TRUNCATED}`;
    const overflow = jsonBytes(candidate) - LONG_FORM_MAX_JSON_BYTES;
    // escapes (quotes, newlines, control characters) make the JSON longer than the text: cut more
    if (overflow <= 0) return candidate;
    keep -= overflow;
  }
};

/** what the pager notifier reads (the `lambda` key: SNS gives Lambda subscribers that rendering) */
export const pagingPayload = (n: Notification, alertId: string): AlertPayload => ({
  format: ALERT_PAYLOAD_FORMAT,
  alertId,
  action: 'trigger',
  severity: n.severity,
  model: n.model,
  check: n.check,
  subject: emailSubject(n.subject),
  summary: oneLine(n.shortText, SMS_MAX),
  ...(n.link === undefined ? {} : { link: n.link }),
});

/** Slack and Teams cut a message long before an e-mail's length; the page link carries the rest */
const CHAT_DESCRIPTION_MAX = 3_500;

/**
 * What AWS Chatbot shows in Slack and Teams (the `https` key: Chatbot subscribes to the topic over HTTPS and
 * renders only the formats it knows, here its custom notification schema): the subject as title, the e-mail
 * text cut to a chat message, the alert id as thread, so repeats of one alert stay in one thread.
 */
export const chatNotification = (n: Notification, alertId: string) => ({
  version: '1.0',
  source: 'custom',
  id: alertId,
  content: {
    textType: 'client-markdown',
    title: emailSubject(n.subject),
    description: chatText(n.longText, CHAT_DESCRIPTION_MAX),
    ...(n.link === undefined ? {} : { nextSteps: [`Open the run's page: ${n.link}`] }),
  },
  metadata: {
    threadId: alertId,
    summary: oneLine(n.shortText, SMS_MAX),
    eventType: 'model-care alert',
    additionalContext: { model: n.model, check: n.check, severity: n.severity, alertId },
  },
});

/** the long text cut at a line end where possible, keeping its lines */
const chatText = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 20);
  const end = cut.lastIndexOf('\n');
  return `${end > max / 2 ? cut.slice(0, end) : cut}\n[... on the page]`;
};
