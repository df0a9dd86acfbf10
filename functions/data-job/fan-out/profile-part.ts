import type { CaptureSources } from '../../adapters/capture-source.ts';
import { ObjectNotFoundError } from '../../adapters/errors.ts';
import type { ModelConfigSource } from '../../adapters/model-config-source.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { profilePartsPrefix } from '../../adapters/s3-layout.ts';
import { InputError, type MalformedRecord } from '../../engine/errors.ts';
import { MalformedLog } from '../../engine/profile/malformed-log.ts';
import { type ProfilePartJson, toProfilePart } from '../../engine/profile/profile-parts.ts';
import type { NamedSource } from '../../engine/profile/profile-sources.ts';
import { profileSources } from '../../engine/profile/profile-sources.ts';
import { type LineCount, linesInRange, readStartOf } from '../../engine/readers/byte-range.ts';
import { objectSource } from '../../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { parseEventPart, readJobEvent } from '../../handler-kit/job-event.ts';
import { jobWindow, windowRange } from '../../handler-kit/job-window.ts';
import { captureSchema } from '../window-profile.ts';
import { fanOutDetailSchema, partInputSchema } from './fan-out-contract.ts';
import type { PartDocument } from './part-document.ts';
import type { FanOutPart } from './plan-fan-out.ts';

export interface ProfilePartDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  /** the stack store, where the part's document is written */
  readonly store: ObjectStore;
  readonly logger: HandlerLogger;
  /** where each model's capture is read (capture-source.ts); @default the stack store's `capture/` */
  readonly captureSources?: CaptureSources;
}

/** the lines starting inside the part's range, read from S3 from just before it (an open-ended Range request) */
const rangeSource = (store: ObjectStore, part: FanOutPart, count: LineCount): NamedSource => {
  const range = part.range!;
  return {
    name: part.key,
    open: () =>
      (async function* () {
        yield* linesInRange(await store.getStream(part.key, readStartOf(range)), range, count);
      })(),
  };
};

// the window profile keeps samples without their raw text (profile-objects.ts): so do the parts
const withoutRaw = ({ raw: _raw, ...record }: MalformedRecord): MalformedRecord => record;

/**
 * One Map iteration of a fanned-out window: profiles one object, or one byte range of a plain one, under the
 * model's capture schema exactly as the data job reads an object, and writes the part's document
 * (part-document.ts) to `profiles/<model>/parts/<windowStart>/<n>.json`: its partial profile (`toProfilePart`),
 * or why it has none (unreadable, vanished), so the reducer can quarantine as the single pass does instead of
 * the execution failing. Returns only the key, so the Map's result stays small (Step Functions' 256 KB payload
 * limit). A re-run overwrites the same key. Faults that are not the data's (S3 down) are thrown.
 */
export const makeProfilePartHandler = (deps: ProfilePartDeps) => {
  const { store } = deps;
  return async (event: unknown): Promise<{ key: string }> => {
    const { model, trigger } = await readJobEvent(event, fanOutDetailSchema, deps.configs);
    const { part } = parseEventPart(partInputSchema, event, 'event');
    const window = jobWindow(trigger.time, model.schedules.dataWindowMinutes, trigger.detail.window);
    const count: LineCount = { lines: 0 };
    const captureStore = deps.captureSources?.(model).store ?? store;
    const source =
      part.range === undefined
        ? objectSource(captureStore, part.key)
        : rangeSource(captureStore, part, count);
    const where = { source: part.key, ...(part.range === undefined ? {} : { range: part.range }) };
    const malformed = new MalformedLog();
    const key = `${profilePartsPrefix(model.name, windowRange(window).start)}${part.n}.json`;
    const context = { model: model.name, key, source: part.key };
    let document: PartDocument;
    try {
      const { profile } = await profileSources([source], {
        format: 'capture',
        schema: captureSchema(model),
        // each record is judged against the model's columns, the first one included (as profileObjects does)
        firstRecord: 'report',
        malformed,
      });
      const json: ProfilePartJson = toProfilePart({ ...where, lines: count.lines, profile, malformed });
      document = {
        ...json,
        malformed: { ...json.malformed, samples: json.malformed.samples.map(withoutRaw) },
      };
      deps.logger.info('profile part written', { ...context, rows: profile.rows });
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        // moved away since the plan (another run quarantined it): nothing to read, as in the single pass
        document = { ...where, vanished: true };
        deps.logger.warn('capture object vanished before its part was read', context);
      } else if (error instanceof InputError) {
        document = {
          ...where,
          lines: count.lines,
          unreadable: { reason: error.message, symptom: error.reason },
          malformed: { count: malformed.count, samples: malformed.samples.map(withoutRaw) },
        };
        deps.logger.warn('profile part unreadable', { ...context, reason: error.message });
      } else throw error;
    }
    await store.put(key, JSON.stringify(document), 'application/json');
    return { key };
  };
};
