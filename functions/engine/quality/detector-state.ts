import { InputError } from '../errors.ts';

/** What a drift detector says after one value. `warning` only from detectors with a warning zone (DDM). */
export interface DetectorUpdate {
  readonly drift: boolean;
  readonly warning?: boolean;
}

/**
 * A streaming concept-drift detector fed one per-prediction value at a time (an error indicator, an
 * absolute error, a loss). Its whole state is plain JSON, so a Lambda can store it between runs and
 * continue exactly where it stopped: `fromJSON(toJSON())` then gives the same detections as never stopping.
 */
export interface DriftDetector {
  update(x: number): DetectorUpdate;
  toJSON(): unknown;
}

/**
 * Reads fields of a stored detector state, failing with an InputError that names the field: a state
 * file is user-visible input (it lives in S3 or DynamoDB and can be edited or truncated).
 */
export class StateReader {
  constructor(
    private readonly json: unknown,
    private readonly kind: string,
    private readonly version: number,
  ) {
    const obj = this.object();
    if (obj.kind !== kind) this.fail('kind', `expected "${kind}", got ${JSON.stringify(obj.kind)}`);
    if (obj.version !== version)
      this.fail('version', `expected ${version}, got ${JSON.stringify(obj.version)}`);
  }

  private object(): Record<string, unknown> {
    if (typeof this.json !== 'object' || this.json === null || Array.isArray(this.json)) {
      return this.fail('$', 'expected a JSON object');
    }
    return this.json as Record<string, unknown>;
  }

  fail(field: string, reason: string): never {
    throw new InputError({ file: `<${this.kind} state>`, field }, reason);
  }

  /** a finite number, optionally constrained */
  number(field: string, check: (x: number) => boolean = () => true): number {
    const value = this.object()[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
      return this.fail(field, `invalid value ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** a number that may be +Infinity, stored as null since JSON has no Infinity */
  numberOrInfinity(field: string): number {
    return this.object()[field] === null ? Number.POSITIVE_INFINITY : this.number(field);
  }

  boolean(field: string): boolean {
    const value = this.object()[field];
    if (typeof value !== 'boolean')
      return this.fail(field, `expected a boolean, got ${JSON.stringify(value)}`);
    return value;
  }

  string(field: string, allowed: readonly string[]): string {
    const value = this.object()[field];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      return this.fail(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  raw(field: string): unknown {
    return this.object()[field];
  }
}

/** +Infinity as null for JSON */
export const infinityAsNull = (x: number): number | null => (x === Number.POSITIVE_INFINITY ? null : x);

export const isPositiveInteger = (x: number): boolean => Number.isInteger(x) && x > 0;
export const isNonNegativeInteger = (x: number): boolean => Number.isInteger(x) && x >= 0;

/** Detectors take finite numbers only: one NaN would silently disable every later comparison. */
export const requireDetectorInput = (x: number): number => {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new InputError(
      { file: '<detector input>', field: 'x' },
      `expected a finite number, got ${String(x)}`,
    );
  }
  return x;
};
