import type { MalformedRecord } from '../engine/errors.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';

/** A capture object the data job could not read, before anything is done about it. */
export interface UnreadableObject {
  readonly key: string;
  /** the reason as quarantine records it (file, line and field included) */
  readonly reason: string;
  /** the reason without the location, for telling causes apart */
  readonly symptom: string;
  /** the object's first malformed record, when it had any: usually the one that says why */
  readonly firstMalformed?: MalformedRecord;
}

/**
 * More of a window's capture is unreadable than `capture.maxUnreadableShare` allows: that is rarely bad data and
 * usually a config that does not match the capture (a feature added or removed), which would otherwise move the
 * whole window to quarantine. Nothing is quarantined; the run fails with this message and alerts.
 */
export class UnreadableCaptureError extends Error {
  override readonly name = 'UnreadableCaptureError';
  constructor(
    message: string,
    readonly unreadable: readonly UnreadableObject[],
    readonly total: number,
    readonly maxShare: number,
  ) {
    super(message);
  }

  get share(): number {
    return this.unreadable.length / this.total;
  }
}

const WIDTH = /expected (\d+) fields, found (\d+)/;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** has/have, holds/hold: the verb agrees with the number of objects that share a cause */
const verb = (count: number, singular: string, plural: string): string => (count === 1 ? singular : plural);

/** what one unreadable object says about its cause, in words a person acts on (given how many share it) */
const causeOf = (
  object: UnreadableObject,
  model: ModelConfig,
): { key: string; text: (count: number) => string } => {
  const record = object.firstMalformed;
  const field = record?.field ?? '';
  const width = record ? WIDTH.exec(record.reason) : null;
  if (width && field.endsWith('endpointInput.data')) {
    const found = Number(width[2]);
    return {
      key: `input-width:${found}`,
      text: (n) =>
        `${verb(n, 'has', 'have')} ${plural(found, 'request field')} where the config lists ` +
        `${plural(model.features.length, 'feature')}: check the model's features`,
    };
  }
  if (width && field.endsWith('endpointOutput.data')) {
    const found = Number(width[2]);
    return {
      key: `output-width:${found}`,
      text: (n) =>
        `${verb(n, 'has', 'have')} ${plural(found, 'response field')} where the config lists ` +
        `${plural(model.outputs.length, 'output')}: check the model's outputs`,
    };
  }
  if (field === 'captureData.endpointOutput' && record?.reason.startsWith('missing')) {
    return {
      key: 'no-output',
      text: (n) =>
        `${verb(n, 'holds', 'hold')} records without a response (captureData.endpointOutput) while the config ` +
        `lists ${plural(model.outputs.length, 'output')}: capture the endpoint's output too`,
    };
  }
  const reason = record ? `${record.field ?? 'record'}: ${record.reason}` : object.symptom;
  return { key: `other:${reason}`, text: () => `cannot be read (${reason})` };
};

/**
 * One line naming the likely cause: the most common one among the unreadable objects, e.g. "7 of 8 capture
 * objects have 9 request fields where the config lists 7 features: check the model's features".
 */
export const diagnoseUnreadable = (
  unreadable: readonly UnreadableObject[],
  total: number,
  model: ModelConfig,
): string => {
  const groups = new Map<string, { text: (count: number) => string; count: number }>();
  for (const object of unreadable) {
    const cause = causeOf(object, model);
    const group = groups.get(cause.key) ?? { text: cause.text, count: 0 };
    group.count += 1;
    groups.set(cause.key, group);
  }
  // the biggest group; ties go to the first seen (Map keeps insertion order)
  let top = { text: (_: number) => 'cannot be read', count: 0 };
  for (const group of groups.values()) if (group.count > top.count) top = group;
  const others = unreadable.length - top.count;
  const more = others > 0 ? `; ${others} more cannot be read for other reasons` : '';
  return `${top.count} of ${plural(total, 'capture object')} ${top.text(top.count)}${more}`;
};

/**
 * Throws UnreadableCaptureError, naming the likely cause, when more than `capture.maxUnreadableShare` of the
 * window's `total` objects are unreadable; otherwise the caller quarantines them.
 */
export const guardUnreadable = (
  unreadable: readonly UnreadableObject[],
  total: number,
  model: ModelConfig,
): void => {
  const maxShare = model.capture.maxUnreadableShare;
  if (total === 0 || unreadable.length / total <= maxShare) return;
  const cause = diagnoseUnreadable(unreadable, total, model);
  throw new UnreadableCaptureError(
    `${cause} (more than the ${maxShare} share capture.maxUnreadableShare allows: none was quarantined)`,
    unreadable,
    total,
    maxShare,
  );
};
