import type { BatchEventPublisher, PublishOutcome } from '../../functions/adapters/batch-event-publisher.ts';
import type { DomainEvent } from '../../functions/adapters/event-publisher.ts';

/**
 * An in-process BatchEventPublisher that keeps what it was given and publishes everything: the dispatcher's
 * arithmetic measured or asserted without a network in the way (bench/dispatch.ts, dispatcher tests).
 */
export class CountingPublisher implements BatchEventPublisher {
  readonly events: DomainEvent[] = [];
  calls = 0;

  async publishEach(events: readonly DomainEvent[]): Promise<PublishOutcome[]> {
    this.calls += 1;
    this.events.push(...events);
    return events.map(() => ({ published: true }));
  }
}
