import { InputError } from '../errors.ts';

/**
 * Where quality inputs come from when no file is known: the caller's arrays. Handlers that read files
 * catch these errors and re-throw them with the file and line; the engine only knows the field.
 */
const at = (field: string) => ({ file: '<quality input>', field });

/** Rejects NaN and ±Infinity: one such value would poison every sum downstream. */
export const requireFinite = (value: number, field: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(at(field), `expected a finite number, got ${String(value)}`);
  }
  return value;
};

/** A probability-like score in [0, 1]: sklearn's brier_score_loss rejects anything outside. */
export const requireProbability = (value: number, field: string): number => {
  requireFinite(value, field);
  if (value < 0 || value > 1) throw new InputError(at(field), `expected a value in [0, 1], got ${value}`);
  return value;
};

/** A binary label: 0/1 or false/true, the positive class being 1. */
export const requireBinaryLabel = (value: number | boolean, field: string): 0 | 1 => {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  throw new InputError(at(field), `expected a binary label 0 or 1, got ${String(value)}`);
};

/** Two accumulators may merge only when they were built the same way. */
export const requireSame = (a: number, b: number, field: string): void => {
  if (a !== b) throw new InputError(at(field), `cannot merge accumulators built with ${a} and ${b}`);
};

/** Parallel arrays must line up one to one. */
export const requireSameLength = (a: readonly unknown[], b: readonly unknown[], field: string): void => {
  if (a.length !== b.length) {
    throw new InputError(at(field), `arrays differ in length: ${a.length} vs ${b.length}`);
  }
};

/** a / b, or 0 when b is 0: sklearn's zero_division="warn" outcome, without the warning */
export const divideOrZero = (a: number, b: number): number => (b === 0 ? 0 : a / b);
