import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Loads a JSON file written by a script in test/reference/quality/. The scripts write NaN as null
 * (JSON has no NaN); `nullAsNaN` turns a value back.
 */
export const loadReference = <T>(name: string): T =>
  JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../reference/quality/${name}`, import.meta.url)), 'utf8'),
  ) as T;

export const nullAsNaN = (value: number | null): number => (value === null ? Number.NaN : value);

/** equal to 12 significant digits, NaN equal to NaN: sklearn sums with numpy's pairwise order */
export const expectClose = (actual: number, expected: number | null, digits = 12): void => {
  const want = nullAsNaN(expected);
  if (Number.isNaN(want) || Number.isNaN(actual)) {
    if (!(Number.isNaN(want) && Number.isNaN(actual))) {
      throw new Error(`expected ${want}, got ${actual}`);
    }
    return;
  }
  const scale = Math.max(1, Math.abs(want));
  if (Math.abs(actual - want) > scale * 10 ** -digits) {
    throw new Error(
      `expected ${want}, got ${actual} (relative difference ${Math.abs(actual - want) / scale})`,
    );
  }
};

/** one model of estimate_reference.json */
export interface EstimateModel {
  name: string;
  threshold: number;
  reference: { scores: number[]; labels: number[] };
  analysis: { scores: number[]; labels: number[] };
  isotonic: number[];
  histogram: { bins: number; binMeans: (number | null)[]; calibrated: number[] };
  chunks: {
    start: number;
    end: number;
    realised: Record<'accuracy' | 'precision' | 'recall' | 'f1', number>;
  }[];
}
