/**
 * Domain events on the model-care bus (violations, runs, promotions). Implementation: eventbridge/. Every event
 * carries EVENT_SOURCE (functions/shared/events.ts), which the rules match on.
 */

export interface DomainEvent {
  /** e.g. `Monitoring Violations Found`; rules match on it */
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** ARNs the event is about, e.g. the endpoint */
  readonly resources?: readonly string[];
  readonly time?: Date;
}

export interface EventPublisher {
  /** Publishes all events or rejects with EventPublishError naming what kept failing. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}
