/**
 * Rounds to the nearest integer, ties to even: numpy's np.round / Python's round, which scipy uses
 * where this module mirrors it (lattice snapping, the asymptotic KS sample size).
 */
export const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  // Math.round sends every .5 up; send it to the even neighbour instead
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const TWO_POW_1000 = 2 ** 1000;
const TWO_POW_MINUS_1000 = 2 ** -1000;

/** x · 2^e without overflowing or underflowing the scale factor itself (C's ldexp). */
export const ldexp = (x: number, e: number): number => {
  let y = x;
  let k = e;
  while (k > 1000) {
    y *= TWO_POW_1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= TWO_POW_MINUS_1000;
    k += 1000;
  }
  return y * 2 ** k;
};

// Dekker's splitter 2^27 + 1: splits a double into two halves whose products are exact
const SPLITTER = 134217729;

/** The rounding error of a·b, so that a·b = fl(a·b) + twoProductError(a, b) exactly (Dekker). */
export const twoProductError = (a: number, b: number): number => {
  const p = a * b;
  const ca = SPLITTER * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = SPLITTER * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
};

/**
 * log(1 + x) − x, accurate to a few ulps also where the two terms nearly cancel (|x| small).
 * For |x| < 0.5 it uses log(1+x) = 2·atanh(t) with t = x/(2+x), so that
 * log(1+x) − x = −x·t + 2t·(t²/3 + t⁴/5 + …), with no cancellation.
 */
export const log1pmx = (x: number): number => {
  if (Math.abs(x) >= 0.5) return Math.log1p(x) - x;
  const t = x / (2 + x);
  const t2 = t * t;
  let power = t2;
  let sum = 0;
  for (let k = 3; k < 80; k += 2) {
    const term = power / k;
    sum += term;
    if (term <= 1e-17 * sum) break;
    power *= t2;
  }
  return -x * t + 2 * t * sum;
};
