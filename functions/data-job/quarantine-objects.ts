import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { quarantineKey } from '../adapters/s3-layout.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';

export interface QuarantinedObject {
  readonly key: string;
  readonly reason: string;
}

/**
 * Moves unreadable capture objects to `quarantine/<key>` with their reason (in metadata and a sidecar), once
 * the window's run has decided to (unreadable-guard.ts). Errors that are not about the object propagate.
 */
export const quarantineObjects = async (
  store: ObjectStore,
  objects: readonly QuarantinedObject[],
  logger: HandlerLogger,
): Promise<QuarantinedObject[]> => {
  const moved: QuarantinedObject[] = [];
  for (const { key, reason } of objects) {
    try {
      await store.move(key, quarantineKey(key), { reason });
    } catch (error) {
      // a concurrent run of the window (EventBridge delivers at least once) moved it first
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
    moved.push({ key, reason });
    logger.warn('capture object quarantined', { key, reason });
  }
  return moved;
};
