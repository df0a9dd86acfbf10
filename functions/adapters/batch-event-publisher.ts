import type { DomainEvent } from './event-publisher.ts';

/**
 * Publishing many independent events (the dispatcher's `Window Due` fan-out) where one failure must not hide
 * the others: each event gets its own outcome. Implementation: eventbridge/eventbridge-batch-publisher.ts.
 */

export type PublishOutcome =
  | { readonly published: true }
  | {
      readonly published: false;
      /** EventBridge's per-entry ErrorCode, or the name of the error that failed the whole call */
      readonly errorCode: string;
      readonly errorMessage?: string;
      readonly attempts: number;
    };

export interface BatchEventPublisher {
  /**
   * One outcome per event, in input order. Rejects only for events no call could carry (RecordTooLargeError),
   * before anything is sent; failures of the service are outcomes, after bounded retries.
   */
  publishEach(events: readonly DomainEvent[]): Promise<PublishOutcome[]>;
}
