import type { Recipients } from '../shared/config/recipients-schema.ts';
import { SEVERITIES, type Severity } from '../shared/config/vocabulary.ts';

/**
 * A model's own alert recipients as SNS subscriptions managed as data (fleet design, section 6), instead of one
 * CloudFormation subscription per model and address. SNS keeps one subscription per topic, protocol and
 * address, so a recipient of several models has one subscription whose filter policy lists them:
 * `{"model": ["churn", "fraud"]}` on the `model` message attribute the alert router sets.
 * Implementation: sns/sns-model-subscriptions.ts.
 */
export type RecipientsBySeverity = Partial<Record<Severity, Recipients>>;

export interface SubscriptionChanges {
  /** `<severity> <protocol> <address>` now receiving the model's alerts */
  readonly subscribed: string[];
  /** no longer receiving them */
  readonly unsubscribed: string[];
  /** left alone, with why (e.g. an operator subscription that already receives every alert) */
  readonly skipped: { readonly recipient: string; readonly reason: string }[];
}

export interface ModelSubscriptions {
  /**
   * Makes the `wanted` recipients receive the model's alerts and stops those of `formerly` (earlier configs
   * whose subscriptions may still be in place) that are no longer wanted. Idempotent.
   */
  reconcile(
    model: string,
    wanted: RecipientsBySeverity,
    formerly: readonly RecipientsBySeverity[],
  ): Promise<SubscriptionChanges>;
}

export type SubscriptionProtocol = 'email' | 'sms';

export interface Recipient {
  readonly severity: Severity;
  readonly protocol: SubscriptionProtocol;
  readonly endpoint: string;
}

export const recipientLabel = (r: Recipient): string => `${r.severity} ${r.protocol} ${r.endpoint}`;
const key = (r: Recipient): string => `${r.severity}\u0000${r.protocol}\u0000${r.endpoint}`;

/** the subscriptions a set of recipients needs, one per severity, protocol and address */
export const recipientsOf = (recipients: RecipientsBySeverity): Recipient[] =>
  SEVERITIES.flatMap((severity) => [
    ...(recipients[severity]?.emails ?? []).map((endpoint) => ({
      severity,
      protocol: 'email' as const,
      endpoint,
    })),
    ...(recipients[severity]?.sms ?? []).map((endpoint) => ({
      severity,
      protocol: 'sms' as const,
      endpoint,
    })),
  ]);

/** what to subscribe and what to unsubscribe: formerly wanted recipients that are wanted no more */
export const planSubscriptions = (
  wanted: RecipientsBySeverity,
  formerly: readonly RecipientsBySeverity[],
): { keep: Recipient[]; drop: Recipient[] } => {
  const keep = new Map(recipientsOf(wanted).map((r) => [key(r), r]));
  const drop = new Map<string, Recipient>();
  for (const earlier of formerly) {
    for (const r of recipientsOf(earlier)) if (!keep.has(key(r))) drop.set(key(r), r);
  }
  return { keep: [...keep.values()], drop: [...drop.values()] };
};

/** A recipient's filter policy would list more models than SNS allows (150 values per policy). */
export class SubscriptionLimitError extends Error {
  override readonly name = 'SubscriptionLimitError';
  constructor(
    readonly recipient: string,
    readonly limit: number,
  ) {
    super(
      `${recipient} already receives the alerts of ${limit} models, the most one SNS filter policy can list: subscribe it to every alert of the severity (stack config alerts) instead`,
    );
  }
}

/** SNS lists an unconfirmed email subscription without its ARN, and would not give it when asked. */
export class SubscriptionPendingError extends Error {
  override readonly name = 'SubscriptionPendingError';
  constructor(readonly recipient: string) {
    super(
      `${recipient} has not confirmed its subscription yet: ask them to confirm (the link in the email from SNS), then put the model again`,
    );
  }
}
