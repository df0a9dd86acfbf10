import * as z from 'zod';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { EventTrigger } from '../shared/events.ts';
import { InvalidEventError } from './invalid-event-error.ts';

/**
 * The edge of every model-scoped handler: the ModelJobInput envelope (events.ts) parsed, never cast. `model` goes
 * through the shared config schema again (so a hand-made event fails as clearly as a bad config), the trigger
 * and its detail through zod. Errors name the field: `event.trigger.detail.window.start: is not an ISO-8601 instant`.
 */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** an ISO-8601 instant with an explicit offset (a bare local time would shift with the machine's zone) */
export const isoInstant = z
  .string()
  .refine((value) => ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'is not an ISO-8601 instant with Z or an offset',
  });

export const windowRangeSchema = z
  .object({ start: isoInstant, end: isoInstant })
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), {
    message: 'start must be before end',
  });

const triggerShape = {
  id: z.string().min(1, 'must not be empty'),
  source: z.string().min(1, 'must not be empty'),
  detailType: z.string().min(1, 'must not be empty'),
  time: isoInstant,
};

export interface JobEvent<TDetail> {
  readonly model: ModelConfig;
  /** the version of the config the job runs with (pinned by the event, or the current one when it was read) */
  readonly configVersion: number;
  readonly trigger: EventTrigger<TDetail>;
}

/** the envelope before its config is loaded: the model's name, the version the event pins (if any), the trigger */
export interface JobEnvelope<TDetail> {
  readonly modelName: string;
  readonly configVersion?: number;
  readonly trigger: EventTrigger<TDetail>;
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');

const lowerFirst = (text: string): string => `${text[0]?.toLowerCase() ?? ''}${text.slice(1)}`;

/** `event.trigger.time: is not an ISO-8601 instant` from a zod issue */
export const describeIssue = (root: string, issue: z.core.$ZodIssue): string => {
  const message = /^[a-z]/.test(issue.message) ? issue.message : lowerFirst(issue.message);
  return `${root}${formatPath(issue.path)}: ${message}`;
};

/** Parses `value` with `schema`, throwing InvalidEventError that names the first bad field under `root`. */
export const parseEventPart = <T extends z.ZodType>(schema: T, value: unknown, root: string): z.output<T> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new InvalidEventError(first ? describeIssue(root, first) : `${root}: invalid`);
};

const modelNameSchema = z.string().min(1, 'must be the name of a model');
// null from a state machine that pins nothing (its payloads name every field)
const configVersionSchema = z.number().int().positive().nullish();

/**
 * Parses a ModelJobInput. `detail` is the schema of `trigger.detail` for this handler (schedules send `{}`).
 * The envelope names the model (rules carry names, not configs: EventBridge caps a target input at 8,192
 * characters). A pinned version comes from the envelope's `configVersion` or the detail's (`Window Due`), so
 * every part of one window's run reads the same config. Checks that a detail naming a model names this one,
 * so a mis-wired rule cannot run one model's job on another's data.
 */
export const parseJobEnvelope = <T extends z.ZodType>(
  event: unknown,
  detail: T,
): JobEnvelope<z.output<T>> => {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidEventError('event: expected an object with model and trigger');
  }
  const raw = event as { model?: unknown; configVersion?: unknown; trigger?: unknown };
  if (raw.model === undefined)
    throw new InvalidEventError('event.model: is required (the name of the model)');
  const modelName = parseEventPart(modelNameSchema, raw.model, 'event.model');
  const envelopeVersion = parseEventPart(configVersionSchema, raw.configVersion, 'event.configVersion');
  const trigger = parseEventPart(z.object(triggerShape), raw.trigger, 'event.trigger');
  const rawDetail = (raw.trigger as { detail?: unknown }).detail;
  const parsedDetail = parseEventPart(detail, rawDetail, 'event.trigger.detail');
  const detailVersion = parseEventPart(
    configVersionSchema,
    (rawDetail as { configVersion?: unknown } | null | undefined)?.configVersion,
    'event.trigger.detail.configVersion',
  );
  const named = (parsedDetail as { model?: unknown } | null | undefined)?.model;
  if (typeof named === 'string' && named !== modelName) {
    throw new InvalidEventError(
      `event.trigger.detail.model: "${named}" is not the model of this event ("${modelName}")`,
    );
  }
  const configVersion = envelopeVersion ?? detailVersion ?? undefined;
  return {
    modelName,
    ...(configVersion === undefined ? {} : { configVersion }),
    trigger: { ...trigger, detail: parsedDetail },
  };
};

/**
 * Parses a ModelJobInput and loads the config it names from the models table (through the per-container cache):
 * the pinned version when the event names one, otherwise the current one.
 */
export const readJobEvent = async <T extends z.ZodType>(
  event: unknown,
  detail: T,
  configs: ModelConfigSource,
): Promise<JobEvent<z.output<T>>> => {
  const { modelName, configVersion, trigger } = parseJobEnvelope(event, detail);
  const loaded = await configs.load(modelName, configVersion);
  return { model: loaded.config, configVersion: loaded.version, trigger };
};
