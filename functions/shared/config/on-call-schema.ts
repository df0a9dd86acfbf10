import * as z from 'zod';
import { doc } from './zod-primitives.ts';

/**
 * Where on-call people are (issue 17.4): chat channels through AWS Chatbot and paging services through their
 * HTTPS integration, per severity like e-mail and SMS, plus the longest mute on-call may set. Secrets (a
 * PagerDuty integration key, an Opsgenie API key) never appear here: the config names a Secrets Manager secret
 * holding them, which the pager notifier reads at run time.
 */

const httpsUrl = z.string().refine((value) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}, 'is not an https:// URL (keys travel in it or with it: plain http would expose them)');

// what a key itself looks like: PagerDuty integration keys are 32 hex-like characters, Opsgenie's are UUIDs
const LOOKS_LIKE_A_KEY = /^(?:[0-9a-z]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** a Secrets Manager secret's name or ARN; refuses what looks like the key itself */
export const secretReference = z
  .string({ error: 'the name or ARN of the Secrets Manager secret that holds the key' })
  .refine((value) => !LOOKS_LIKE_A_KEY.test(value), {
    message: 'looks like the key itself: store it in Secrets Manager and give the secret name or ARN here',
    // the value is a secret: never repeat it
    params: { keyIssue: true },
  })
  .refine((value) => SECRET_NAME.test(value) || SECRET_ARN.test(value), {
    message: 'is not a Secrets Manager secret name or ARN',
  });

const slackChannelSchema = z.strictObject({
  workspaceId: z
    .string()
    .regex(/^[A-Z0-9]{1,256}$/, 'is not a Slack workspace id (T0123ABCD, from the AWS Chatbot console)')
    .meta(doc('the Slack workspace id, authorized once in the AWS Chatbot console')),
  channelId: z
    .string()
    .regex(/^[A-Z0-9]{1,256}$/, 'is not a Slack channel id (C0123ABCD: the channel link ends with it)')
    .meta(doc('the Slack channel id')),
});
const uuid = (what: string) =>
  z.string().regex(/^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i, `is not a ${what}`);
const teamsChannelSchema = z.strictObject({
  teamId: uuid('Microsoft Teams team id (a UUID)').meta(doc('the team id (from the channel link)')),
  tenantId: uuid('Microsoft Entra tenant id (a UUID)').meta(doc('the tenant id (from the channel link)')),
  channelId: z
    .string()
    // Chatbot takes the id URL-encoded (`19%3a...%40thread.tacv2`), as the channel link shows it: both forms work
    .transform((id) => id.replace(/:/g, '%3a').replace(/@/g, '%40'))
    .refine(
      (id) =>
        /^[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*$/.test(id) && id.length <= 256,
      'is not a Teams channel id (19:...@thread.tacv2, from the channel link)',
    )
    .meta(doc('the channel id, `19:...@thread.tacv2` (or URL-encoded as in the channel link)')),
});
const pagerDutySchema = z.strictObject({
  integrationKeySecret: secretReference.meta(
    doc('Secrets Manager secret (name or ARN) whose value is the Events API v2 integration key'),
  ),
  url: httpsUrl
    .default('https://events.pagerduty.com/v2/enqueue')
    .meta(doc('the Events API v2 endpoint (https only)')),
});
const opsgenieSchema = z.strictObject({
  apiKeySecret: secretReference.meta(
    doc('Secrets Manager secret (name or ARN) whose value is the API integration key'),
  ),
  url: httpsUrl
    .default('https://api.opsgenie.com/v2/alerts')
    .meta(doc('the Alert API endpoint (https only; EU accounts: https://api.eu.opsgenie.com/v2/alerts)')),
});

export const onCallChannelsSchema = z.strictObject({
  slack: z.array(slackChannelSchema).default([]).meta(doc('Slack channels, through AWS Chatbot')),
  teams: z.array(teamsChannelSchema).default([]).meta(doc('Microsoft Teams channels, through AWS Chatbot')),
  pagerDuty: z.array(pagerDutySchema).default([]).meta(doc('PagerDuty services (Events API v2)')),
  opsgenie: z.array(opsgenieSchema).default([]).meta(doc('Opsgenie teams (Alert API)')),
});
export type OnCallChannels = z.output<typeof onCallChannelsSchema>;

/** the longest mute by default: a week, so a forgotten mute cannot hide a model for good */
export const DEFAULT_MAX_MUTE_HOURS = 168;

export const onCallSchema = z.strictObject({
  info: onCallChannelsSchema.optional().meta(doc('chat and paging for info messages')),
  warning: onCallChannelsSchema.optional().meta(doc('chat and paging for warnings')),
  critical: onCallChannelsSchema.optional().meta(doc('chat and paging for critical messages')),
  maxMuteHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(DEFAULT_MAX_MUTE_HOURS)
    .meta(doc('the longest an alert mute may last (`POST /models/{name}/mute`, `model-care alerts mute`)')),
});
export type OnCallConfig = z.output<typeof onCallSchema>;
export type OnCallConfigInput = z.input<typeof onCallSchema>;
