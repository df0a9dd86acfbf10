import { binaryLabel } from '../engine/quality/evaluate-quality.ts';
import type { CellValue } from '../engine/readers/types.ts';

/**
 * Binary labels and class predictions as 1 (the model's `positiveLabel`) or 0. With the default positive label
 * "1" the engine's reading applies (1/0, "1.0", true/false; anything else is unreadable, counted as invalid).
 * With a named positive class ("churned", "yes"), that value is 1 and any other value is 0.
 */
export const toBinary = (value: CellValue, positiveLabel: string): CellValue => {
  if (value === null || value === '') return null;
  if (positiveLabel === '1') return binaryLabel(value) ?? value;
  const text = String(value).trim();
  if (text === positiveLabel) return 1;
  const number = Number(text);
  return Number.isFinite(number) && Number(positiveLabel) === number ? 1 : 0;
};

/** a score as the model wrote it, when it is a number */
export const numeric = (value: CellValue): number | undefined => {
  if (value === null || value === '' || typeof value === 'boolean') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};
