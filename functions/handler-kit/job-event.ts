import * as z from 'zod';
import { ConfigError } from '../shared/config/config-error.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { parseModelConfig } from '../shared/config/parse-config.ts';
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

/**
 * Parses a ModelJobInput. `detail` is the schema of `trigger.detail` for this handler (schedules send `{}`).
 * Checks that a detail naming a model names this one, so a mis-wired rule cannot run one model's job on
 * another's data.
 */
export const parseJobEvent = <T extends z.ZodType>(event: unknown, detail: T): JobEvent<z.output<T>> => {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidEventError('event: expected an object with model and trigger');
  }
  const raw = event as { model?: unknown; trigger?: unknown };
  if (raw.model === undefined)
    throw new InvalidEventError('event.model: is required (the model config the rule injects)');
  let model: ModelConfig;
  try {
    model = parseModelConfig(raw.model, 'event.model');
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidEventError(error.message);
    throw error;
  }
  const trigger = parseEventPart(z.object(triggerShape), raw.trigger, 'event.trigger');
  const rawDetail = (raw.trigger as { detail?: unknown }).detail;
  const parsedDetail = parseEventPart(detail, rawDetail, 'event.trigger.detail');
  const named = (parsedDetail as { model?: unknown } | null | undefined)?.model;
  if (typeof named === 'string' && named !== model.name) {
    throw new InvalidEventError(
      `event.trigger.detail.model: "${named}" is not the model of this event ("${model.name}")`,
    );
  }
  return { model, trigger: { ...trigger, detail: parsedDetail } };
};
