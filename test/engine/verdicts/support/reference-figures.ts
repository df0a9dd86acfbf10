import { readFileSync } from 'node:fs';

/** figures written by test/reference/verdicts/make_verdicts_reference.py (scipy, numpy) */
export interface VerdictsReference {
  readonly clopperPearson: { errors: number; n: number; risk: number; upper: number }[];
  readonly eBH: { evidence: number[]; alpha: number; rejected: boolean[] }[];
  readonly sketchKs: { d: number; n1: number; n2: number; exact1: boolean; exact2: boolean; p: number }[];
}

export const verdictsReference = JSON.parse(
  readFileSync(new URL('../../../reference/verdicts/verdicts-reference.json', import.meta.url), 'utf8'),
) as VerdictsReference;
