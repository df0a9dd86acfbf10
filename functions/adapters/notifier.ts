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
  /**
   * the alert's id (the run id): the dedupe key of a page, and what `model-care alerts ack` names; with it the
   * message also carries the paging and chat renderings (shared/alert-payload.ts)
   */
  readonly alertId?: string;
  /** the page a person opens first, for chat and paging */
  readonly link?: string;
}

export interface Notifier {
  /** Resolves the message id; rejects with NotificationError when SNS refused or kept throttling. */
  notify(notification: Notification): Promise<{ messageId: string }>;
}
