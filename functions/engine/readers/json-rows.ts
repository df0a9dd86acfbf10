import { InputError, type InputLocation } from '../errors.ts';
import { DEFAULT_MAX_NAME_LENGTH, namePreview, nameTooLong } from './limits.ts';
import type { CellValue } from './types.ts';

/** Rows decoded from one payload, with column names when the payload was keyed (JSON objects). */
export interface PayloadRows {
  rows: CellValue[][];
  /** names of the cells, in row order, when rows came from JSON objects */
  names?: string[];
}

/** JSON's name for the kind of a value, for messages. */
export const jsonKind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** True for a JSON object (not null, not an array). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The cell a JSON value becomes, or undefined when it is an object or array (not flat). */
export const jsonCell = (value: unknown): CellValue | undefined => {
  if (value === null) return null;
  const kind = typeof value;
  if (kind === 'number' || kind === 'string' || kind === 'boolean') return value as CellValue;
  return undefined;
};

const joinPath = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`;

/**
 * Gathers the rows of one payload. Rows are either all positional (arrays, scalars) or all
 * keyed (objects); keyed rows line up on the names of the first one, a missing key is null.
 */
export class RowCollector {
  readonly rows: CellValue[][] = [];
  private names: string[] | undefined;
  private index: Map<string, number> | undefined;
  private keyed: boolean | undefined;

  constructor(
    private readonly at: InputLocation,
    private readonly maxNameLength: number = DEFAULT_MAX_NAME_LENGTH,
  ) {}

  result(): PayloadRows {
    return this.names === undefined ? { rows: this.rows } : { rows: this.rows, names: this.names };
  }

  /** A row given as an array of scalars. */
  addArray(values: readonly unknown[], where: string): void {
    this.expectKeyed(false, where);
    const row = new Array<CellValue>(values.length);
    for (let i = 0; i < values.length; i++) row[i] = this.cell(values[i], where, i);
    this.rows.push(row);
  }

  /** A row given as an object of scalars; its keys name the cells. */
  addObject(value: Record<string, unknown>, where: string): void {
    this.expectKeyed(true, where);
    const keys = Object.keys(value);
    if (this.names === undefined || this.index === undefined) {
      for (const key of keys) {
        const tooLong = nameTooLong(key, this.maxNameLength);
        if (tooLong !== undefined) throw this.fail(`${tooLong} at ${where || 'top level'}`);
      }
      this.names = keys;
      this.index = new Map(keys.map((key, i) => [key, i]));
    }
    const row = new Array<CellValue>(this.names.length).fill(null);
    for (const key of keys) {
      const slot = this.index.get(key);
      if (slot === undefined)
        throw this.fail(`unexpected field "${namePreview(key)}" at ${where || 'top level'}`);
      row[slot] = this.cell(value[key], where, key);
    }
    this.rows.push(row);
  }

  /** A row of one cell. */
  addScalar(value: unknown, where: string): void {
    this.expectKeyed(false, where);
    this.rows.push([this.cell(value, where, undefined)]);
  }

  /** One element of `instances` / `predictions` or of a top-level array of rows. */
  addElement(value: unknown, where: string): void {
    if (Array.isArray(value)) this.addArray(value, where);
    else if (isFeaturesObject(value)) this.addArray(value.features, joinPath(where, 'features'));
    else if (isPlainObject(value)) this.addObject(value, where);
    else this.addScalar(value, where);
  }

  private cell(value: unknown, where: string, key: string | number | undefined): CellValue {
    const cell = jsonCell(value);
    if (cell !== undefined) return cell;
    const path = key === undefined ? where : joinPath(where, key);
    throw this.fail(
      `nested ${jsonKind(value)} at ${path || 'top level'} (a row holds only numbers, strings, booleans and nulls)`,
    );
  }

  private expectKeyed(keyed: boolean, where: string): void {
    if (this.keyed === undefined) this.keyed = keyed;
    else if (this.keyed !== keyed)
      throw this.fail(`mixes objects and arrays as rows (at ${where || 'top level'})`);
  }

  private fail(reason: string): InputError {
    return new InputError(this.at, reason);
  }
}

// SageMaker's JSON request format for built-in algorithms: {"features": [...]} per instance
const isFeaturesObject = (value: unknown): value is { features: unknown[] } =>
  isPlainObject(value) && Array.isArray(value.features) && Object.keys(value).length === 1;

/**
 * Adds the rows one JSON document stands for, by the shapes model servers use:
 * `{"instances": [...]}` and `{"predictions": [...]}` give one row per element; `{"features": [...]}`
 * one row; an array of scalars one row; an array of arrays or objects one row per element;
 * an object of scalars one keyed row; a scalar one row of one cell.
 */
export const addJsonDocument = (collector: RowCollector, value: unknown): void => {
  if (Array.isArray(value)) {
    const first = value[0];
    if (Array.isArray(first) || isPlainObject(first)) {
      for (const [i, row] of value.entries()) collector.addElement(row, `[${i}]`);
    } else if (value.length > 0) {
      collector.addArray(value, '');
    }
    return;
  }
  if (isPlainObject(value)) {
    for (const key of ['instances', 'predictions'] as const) {
      const rows = value[key];
      if (Array.isArray(rows)) {
        for (const [i, row] of rows.entries()) collector.addElement(row, `${key}[${i}]`);
        return;
      }
    }
    if (Array.isArray(value.features)) collector.addArray(value.features, 'features');
    else collector.addObject(value, '');
    return;
  }
  collector.addScalar(value, '');
};
