import type { CaptureSource } from '../adapters/capture-source.ts';
import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { QUARANTINE_ROOT, quarantineKey, reasonSidecarKey } from '../adapters/s3-layout.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';

export interface QuarantinedObject {
  readonly key: string;
  readonly reason: string;
}

/**
 * Where a copy of an unreadable object of a bucket the stack does not own goes in the stack bucket:
 * `quarantine/external/<bucket>/<key>`. Stack capture keys start with `capture/`, so the two never meet.
 */
export const externalQuarantineKey = (bucket: string, key: string): string =>
  `${QUARANTINE_ROOT}external/${bucket}/${key}`;

/**
 * Copies an object of another bucket into our quarantine, with its reason in a sidecar, and leaves it where it
 * is: model-care never moves or deletes what it does not own (issue 10). Rewriting the copy on a later run of the
 * window is harmless: same key, same bytes.
 */
const copyToQuarantine = async (
  store: ObjectStore,
  source: CaptureSource,
  { key, reason }: QuarantinedObject,
): Promise<void> => {
  const target = externalQuarantineKey(source.bucket, key);
  const from = `s3://${source.bucket}/${key}`;
  await store.put(target, await source.store.getStream(key), 'application/octet-stream', {
    'copied-from': encodeURIComponent(from),
  });
  const sidecar = { source: from, target, reason, copiedAt: new Date().toISOString(), leftInPlace: true };
  await store.put(reasonSidecarKey(target), `${JSON.stringify(sidecar, null, 2)}\n`, 'application/json');
};

/**
 * Takes unreadable capture objects out of the way with their reason (in metadata and a sidecar), once the
 * window's run has decided to (unreadable-guard.ts): objects of the stack bucket are moved to
 * `quarantine/<key>`, objects of another bucket (`source` not owned) copied to `quarantine/external/<bucket>/<key>`
 * and left in place. Errors that are not about the object propagate.
 */
export const quarantineObjects = async (
  store: ObjectStore,
  objects: readonly QuarantinedObject[],
  logger: HandlerLogger,
  source?: CaptureSource,
): Promise<QuarantinedObject[]> => {
  const moved: QuarantinedObject[] = [];
  for (const object of objects) {
    const { key, reason } = object;
    try {
      if (source && !source.owned) await copyToQuarantine(store, source, object);
      else await store.move(key, quarantineKey(key), { reason });
    } catch (error) {
      // a concurrent run of the window (EventBridge delivers at least once) moved it first, or its owner deleted it
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
    moved.push({ key, reason });
    logger.warn(
      source && !source.owned
        ? 'capture object copied to quarantine, left in place'
        : 'capture object quarantined',
      {
        key,
        reason,
        ...(source && !source.owned ? { bucket: source.bucket } : {}),
      },
    );
  }
  return moved;
};
