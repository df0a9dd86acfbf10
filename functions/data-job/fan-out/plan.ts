import type { CaptureSources } from '../../adapters/capture-source.ts';
import type { ModelConfigSource } from '../../adapters/model-config-source.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { listWindowCapture } from '../../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { readJobEvent } from '../../handler-kit/job-event.ts';
import { jobWindow } from '../../handler-kit/job-window.ts';
import { captureLocation } from '../../shared/config/model-settings.ts';
import { fanOutDetailSchema } from './fan-out-contract.ts';
import { type FanOutPart, planFanOut } from './plan-fan-out.ts';

/** 128 MiB: what one worker profiles well inside its time budget at the engine's throughput */
export const DEFAULT_MAX_BYTES_PER_PART = 128 * 1024 * 1024;

export interface FanOutPlanDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  readonly store: ObjectStore;
  readonly logger: HandlerLogger;
  /** where each model's capture is read (capture-source.ts); @default the stack store's `capture/` */
  readonly captureSources?: CaptureSources;
  /** @default DEFAULT_MAX_BYTES_PER_PART */
  readonly maxBytesPerPart?: number;
}

/** The first two bytes say gzip (0x1f 0x8b); only they are awaited, the rest of the stream is dropped. */
const isGzip = async (store: ObjectStore, key: string): Promise<boolean> => {
  const head: number[] = [];
  for await (const chunk of await store.getStream(key)) {
    head.push(...chunk.subarray(0, 2 - head.length));
    if (head.length >= 2) break;
  }
  return head[0] === 0x1f && head[1] === 0x8b;
};

/**
 * The fan-out's first state: lists the window's capture exactly as the data job does, and plans the parts
 * (`planFanOut`). Returns the event with `parts` added, for the Map to iterate.
 */
export const makeFanOutPlanHandler = (deps: FanOutPlanDeps) => {
  const maxBytesPerPart = deps.maxBytesPerPart ?? DEFAULT_MAX_BYTES_PER_PART;
  return async (
    event: unknown,
  ): Promise<{ model: unknown; configVersion: number; trigger: unknown; parts: FanOutPart[] }> => {
    const { model, configVersion, trigger } = await readJobEvent(event, fanOutDetailSchema, deps.configs);
    const window = jobWindow(trigger.time, model.schedules.dataWindowMinutes, trigger.detail.window);
    const source = deps.captureSources?.(model);
    const captureStore = source?.store ?? deps.store;
    const objects = await listWindowCapture(captureStore, captureLocation(model), window, source?.prefix);
    const planned = [];
    for (const object of objects) {
      planned.push({ key: object.key, size: object.size, gzip: await isGzip(captureStore, object.key) });
    }
    const parts = planFanOut(planned, { maxBytesPerPart });
    deps.logger.info('fan-out planned', { model: model.name, objects: objects.length, parts: parts.length });
    const raw = event as { model: unknown; trigger: unknown };
    // the version read here, so every part and the reducer read the same config
    return { model: raw.model, configVersion, trigger: raw.trigger, parts };
  };
};
