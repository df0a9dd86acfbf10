import * as z from 'zod';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { LockRepository } from '../adapters/lock-repository.ts';
import type { ModelStore } from '../adapters/model-store.ts';
import type { RunRepository } from '../adapters/run-repository.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { decideLateCapture, reopenEvents } from '../handler-kit/scheduling/late-capture.ts';

/**
 * Late capture (issue 10.3): S3's `Object Created` for a capture object -> the data windows it belongs to that were
 * already judged without it are handed out again (`Window Due`), and the data job replaces their verdict under the
 * same deterministic keys. The decision is late-capture.ts's; this adds who reads the object and the debounce.
 *
 * Debounce: SageMaker writes a file every few minutes, so a late hour brings several. One re-open per judged run is
 * enough: the re-run lists every object there is when it starts. So each re-open takes a lock named after the window
 * and the run it supersedes (one conditional write in the state table); a later object of the same window finds it
 * taken while that run is still the latest, and once the re-run has started, its own objects name the new run.
 */

/** the part of EventBridge's S3 `Object Created` envelope used here, parsed, never cast */
const objectCreatedSchema = z.looseObject({
  id: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({ key: z.string().min(1) }),
  }),
});

export class InvalidObjectCreatedEventError extends Error {
  override readonly name = 'InvalidObjectCreatedEventError';
}

export interface LateCaptureDeps {
  readonly models: Pick<ModelStore, 'list' | 'schedules'>;
  readonly runs: Pick<RunRepository, 'getRun'>;
  readonly locks: Pick<LockRepository, 'acquire'>;
  readonly events: EventPublisher;
  /** the stack bucket: its keys are matched as `capture/...`, other buckets' as `s3://<bucket>/<key>` */
  readonly stackBucket: string;
  /** the dispatcher's period (`fleet.dispatchEveryMinutes`) */
  readonly dispatchEveryMinutes: number;
  /** the lock outlives any re-run by far; it only bounds how long the item stays */
  readonly debounceMinutes?: number;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

export interface LateCaptureResult {
  readonly model: string | null;
  readonly reopened: readonly string[];
  readonly debounced: readonly string[];
}

/** S3 URL-encodes keys in its events (`+` for spaces) */
const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export const makeLateCaptureHandler = (deps: LateCaptureDeps) => {
  const debounceSeconds = (deps.debounceMinutes ?? 60) * 60;
  return async (event: unknown): Promise<LateCaptureResult> => {
    const parsed = objectCreatedSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidObjectCreatedEventError(
        `event.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'is invalid'} (expected S3 "Object Created")`,
      );
    }
    const { id, time, detail } = parsed.data;
    const key = decodeKey(detail.object.key);
    const bucket = detail.bucket.name;
    const location = bucket === deps.stackBucket ? key : `s3://${bucket}/${key}`;
    const reader = (await deps.models.list()).find(
      (m) => m.status === 'active' && location.startsWith(m.capturePrefix),
    );
    if (!reader) {
      deps.logger.info('capture object no model reads', { bucket, key });
      return { model: null, reopened: [], debounced: [] };
    }
    const schedule = (await deps.models.schedules()).find((s) => s.name === reader.name);
    if (!schedule) return { model: reader.name, reopened: [], debounced: [] };
    const now = deps.now();
    // the prefix in the object's own bucket: the models table stores `s3://<bucket>/...` for other buckets
    const variantPrefix =
      bucket === deps.stackBucket
        ? reader.capturePrefix
        : reader.capturePrefix.slice(`s3://${bucket}/`.length);
    const decision = await decideLateCapture(
      {
        model: reader.name,
        key,
        variantPrefix,
        objectCreatedAt: new Date(time),
        now,
        schedule: {
          expression: schedule.data,
          windowMinutes: schedule.dataWindowMinutes,
          graceMinutes: schedule.graceMinutes,
        },
        dispatchEveryMinutes: deps.dispatchEveryMinutes,
      },
      deps.runs,
    );
    if (decision.kind !== 'windows') {
      deps.logger.info('capture object outside the layout', {
        model: reader.name,
        key,
        reason: decision.reason,
      });
      return { model: reader.name, reopened: [], debounced: [] };
    }
    const reopened: string[] = [];
    const debounced: string[] = [];
    for (const window of decision.windows.filter((w) => w.action === 'reopen')) {
      const start = window.window.start.getTime();
      const superseded = window.runStartedAt ? Date.parse(window.runStartedAt) : 0;
      // the event id owns it: a redelivered event re-acquires its own lock and publishes again (idempotent)
      const first = await deps.locks.acquire(
        reader.name,
        `reopen-${start}-${superseded}`,
        id,
        debounceSeconds,
        now,
      );
      (first ? reopened : debounced).push(window.window.start.toISOString());
      if (!first) continue;
      await deps.events.publish(
        reopenEvents({ ...decision, windows: [window] }, reader.name, schedule.version, now),
      );
    }
    deps.logger.info('late capture', {
      model: reader.name,
      key,
      windows: decision.windows.map((w) => ({
        start: w.window.start.toISOString(),
        action: w.action,
        why: w.why,
      })),
      reopened,
      debounced,
    });
    return { model: reader.name, reopened, debounced };
  };
};
