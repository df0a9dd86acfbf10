import { type ByteRange, splitRanges } from '../../engine/readers/byte-range.ts';

/** A capture object of the window, as the planner needs it. */
export interface PlannedObject {
  readonly key: string;
  readonly size: number;
  /** gzip cannot be read from the middle: the object goes to one worker whole */
  readonly gzip: boolean;
}

/** One worker's share of a window: a whole object, or a byte range of a plain one. */
export interface FanOutPart {
  /** the part's number in window order; names its partial profile `<n>.json` */
  readonly n: number;
  readonly key: string;
  /** absent: the whole object */
  readonly range?: ByteRange;
}

export interface PlanOptions {
  /** a plain object larger than this is split into ranges of at most this many bytes */
  readonly maxBytesPerPart: number;
}

/**
 * Splits a window's objects into worker parts, in window order (the reducer merges them in this order).
 * Plain objects are tiled with `splitRanges` into ranges of at most `maxBytesPerPart` bytes; gzip
 * objects and empty ones stay whole.
 */
export const planFanOut = (objects: readonly PlannedObject[], options: PlanOptions): FanOutPart[] => {
  const { maxBytesPerPart } = options;
  if (!(Number.isInteger(maxBytesPerPart) && maxBytesPerPart > 0)) {
    throw new RangeError(`maxBytesPerPart must be a positive integer, got ${maxBytesPerPart}`);
  }
  const parts: FanOutPart[] = [];
  for (const object of objects) {
    if (object.gzip || object.size <= maxBytesPerPart) {
      parts.push({ n: parts.length, key: object.key });
      continue;
    }
    for (const range of splitRanges(object.size, Math.ceil(object.size / maxBytesPerPart))) {
      parts.push({ n: parts.length, key: object.key, range });
    }
  }
  return parts;
};
