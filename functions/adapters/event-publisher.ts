/** Domain events on the model-care bus (violations, runs, promotions). Implementation: eventbridge/. */

/** every event model-care publishes carries this source; rules match on it */
export const EVENT_SOURCE = 'model-care';

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
