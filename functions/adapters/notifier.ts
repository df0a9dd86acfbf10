import type { Severity } from '../shared/config/vocabulary.ts';

/** People-facing alerts. Implementation: sns/sns-notifier.ts. */

export interface Notification {
  readonly topicArn: string;
  /** the email subject; shortened to SNS's limit and stripped of line breaks */
  readonly subject: string;
  /** what email readers get: what drifted, by how much, since when, a link to the report */
  readonly longText: string;
  /** what SMS readers get: one line */
  readonly shortText: string;
  readonly severity: Severity;
  readonly model: string;
  readonly check: string;
}

export interface Notifier {
  /** Resolves the message id; rejects with NotificationError when SNS refused or kept throttling. */
  notify(notification: Notification): Promise<{ messageId: string }>;
}
