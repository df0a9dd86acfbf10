import * as z from 'zod';
import { SEVERITIES } from './config/vocabulary.ts';

/**
 * The machine-readable rendering of an alert, published with the e-mail and SMS renderings in one SNS message
 * (the `lambda` key of a JSON-structured message): what the pager notifier (functions/pager-notifier/) turns
 * into a PagerDuty or Opsgenie event. `alertId` is the dedupe key: the same id triggers, acknowledges and
 * resolves the same page.
 */
export const ALERT_PAYLOAD_FORMAT = 'model-care.alert/1';

export const alertPayloadSchema = z.object({
  format: z.literal(ALERT_PAYLOAD_FORMAT),
  alertId: z.string().min(1).max(255),
  action: z.enum(['trigger', 'acknowledge', 'resolve']),
  severity: z.enum(SEVERITIES),
  model: z.string().min(1),
  check: z.string().min(1),
  /** one line: the e-mail subject */
  subject: z.string(),
  /** one line: the SMS text */
  summary: z.string(),
  /** the page a person opens first (the run's page or report) */
  link: z.string().optional(),
});
export type AlertPayload = z.output<typeof alertPayloadSchema>;
