import type { ObjectStore } from '../../adapters/object-store.ts';
import { profilePartsPrefix } from '../../adapters/s3-layout.ts';
import { errorSummary, type HandlerLogger } from '../../handler-kit/handler-logger.ts';

/**
 * Removes a fanned-out window's part documents once the reducer is done with them, whether the run succeeded or
 * failed: they are scaffolding, and a later run of the window writes them afresh. Listed rather than taken from
 * the Map's results, so parts written by a worker whose result was lost go too. Best effort: a failure to delete
 * is logged and never hides the run's own outcome (the next run of the window overwrites the same keys).
 */
export const deleteParts = async (
  store: ObjectStore,
  model: string,
  windowStart: string,
  logger: HandlerLogger,
): Promise<number> => {
  let deleted = 0;
  try {
    for await (const { key } of store.list(profilePartsPrefix(model, windowStart))) {
      await store.delete(key);
      deleted += 1;
    }
  } catch (error) {
    logger.error('fan-out parts not deleted', { model, windowStart, deleted, ...errorSummary(error) });
  }
  return deleted;
};
