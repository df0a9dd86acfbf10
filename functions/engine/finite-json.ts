import { formatIssuePath } from './errors.ts';

/**
 * A non-finite number reached a file that must hold only finite ones (a profile, statistics.json,
 * constraints.json). JSON would write it as null, and every reader after would trip on it or, worse, take
 * it; the readers keep such values out, so this is a bug on our side, reported loudly instead.
 */
export class NonFiniteNumberError extends Error {
  override readonly name = 'NonFiniteNumberError';
  constructor(
    readonly what: string,
    readonly path: string,
    readonly value: number,
  ) {
    super(`${what} would be written with ${value} at ${path || 'top level'}: refusing to write null for it`);
  }
}

const walk = (value: unknown, path: PropertyKey[], what: string): void => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NonFiniteNumberError(what, formatIssuePath(path), value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (ArrayBuffer.isView(value)) {
    const items = value as unknown as ArrayLike<number>;
    for (let i = 0; i < items.length; i++) walk(items[i], [...path, i], what);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // arrays of numbers (sketch levels) are most of a profile: checked without building paths
      if (typeof item === 'number' && Number.isFinite(item)) continue;
      walk(item, [...path, i], what);
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) walk(item, [...path, key], what);
};

/** Returns `value` when every number in it is finite; throws NonFiniteNumberError naming the first one. */
export const assertFiniteNumbers = <T>(value: T, what: string): T => {
  walk(value, [], what);
  return value;
};
