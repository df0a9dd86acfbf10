import type { CellValue } from '../readers/types.ts';

/**
 * The type of one cell, in Model Monitor's (Deequ's) vocabulary. A CSV cell "3" is Integral and "3.0" is
 * Fractional, as Deequ decides them, which is why the fixture's all-"x.0" columns are Fractional.
 * Booleans are not a Model Monitor type; they are profiled as strings ("true" / "false").
 */
export type ValueKind = 'missing' | 'integral' | 'fractional' | 'string';

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_PLUS = 43;
const CODE_MINUS = 45;
const CODE_DOT = 46;
const CODE_E = 101;
const CODE_UPPER_E = 69;

/** Exact powers of ten: 10^22 is the largest a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Below 10^15 every integer is exact in a double (2^53 is about 9e15), so digits can be accumulated. */
const MAX_EXACT_DIGITS = 15;

/** What `scanDecimal` found in a span of text. */
export interface DecimalScan {
  kind: ValueKind;
  /** the number, equal to `Number(text)`, when `kind` is integral or fractional */
  value: number;
}

/**
 * Scans text[start, end) once: optional sign, digits, optional fraction, optional exponent. Returns the kind
 * and leaves in `out.value` the number when it can be had exactly from the digits (NaN when not: an
 * exponent, or more digits than a double holds exactly). The digits `m` and the fraction length `f` give
 * m / 10^f; both are exact doubles and IEEE division rounds correctly, so this is the correctly rounded
 * value of the text, the same double `Number()` returns (Clinger's fast path, as strtod takes it).
 */
const scan = (text: string, start: number, end: number, out: DecimalScan): ValueKind => {
  out.value = Number.NaN;
  if (start >= end) return 'missing';
  let i = start;
  let code = text.charCodeAt(i);
  let negative = false;
  if (code === CODE_PLUS || code === CODE_MINUS) {
    negative = code === CODE_MINUS;
    i += 1;
    if (i === end) return 'string';
  }
  let digits = 0;
  let mantissa = 0;
  while (i < end) {
    code = text.charCodeAt(i);
    if (code < CODE_0 || code > CODE_9) break;
    mantissa = mantissa * 10 + (code - CODE_0);
    digits += 1;
    i += 1;
  }
  if (i === end) {
    if (digits === 0) return 'string';
    if (digits <= MAX_EXACT_DIGITS) out.value = negative ? -mantissa : mantissa;
    return 'integral';
  }
  if (code === CODE_DOT) {
    i += 1;
    let fractionDigits = 0;
    while (i < end) {
      code = text.charCodeAt(i);
      if (code < CODE_0 || code > CODE_9) break;
      mantissa = mantissa * 10 + (code - CODE_0);
      digits += 1;
      fractionDigits += 1;
      i += 1;
    }
    if (digits === 0) return 'string';
    if (i === end) {
      if (digits <= MAX_EXACT_DIGITS) {
        const value = mantissa / POW10[fractionDigits]!;
        out.value = negative ? -value : value;
      }
      return 'fractional';
    }
  }
  if (digits === 0) return 'string';
  if (code === CODE_E || code === CODE_UPPER_E) {
    i += 1;
    if (i < end) {
      code = text.charCodeAt(i);
      if (code === CODE_PLUS || code === CODE_MINUS) i += 1;
    }
    let exponentDigits = 0;
    while (i < end) {
      code = text.charCodeAt(i);
      if (code < CODE_0 || code > CODE_9) return 'string';
      exponentDigits += 1;
      i += 1;
    }
    return exponentDigits > 0 ? 'fractional' : 'string';
  }
  return 'string';
};

/**
 * Classifies text[start, end) as a decimal number and, for a number, puts its value in `out.value`:
 * one pass over the characters, and `Number()` only for the rare text the exact fast path cannot take.
 */
export const scanDecimal = (text: string, start: number, end: number, out: DecimalScan): ValueKind => {
  const kind = scan(text, start, end, out);
  out.kind = kind;
  if ((kind === 'integral' || kind === 'fractional') && Number.isNaN(out.value)) {
    out.value = Number(text.slice(start, end));
  }
  return kind;
};

const classified: DecimalScan = { kind: 'missing', value: 0 };

/**
 * Classifies text as a decimal number by scanning it once: optional sign, digits, optional fraction,
 * optional exponent. Faster than a regular expression on the hot path, and stricter than `Number()`,
 * which would accept "", " ", "0x1f" and "Infinity".
 */
export const classifyText = (text: string): ValueKind => scan(text, 0, text.length, classified);

/** The kind of a cell as a reader delivered it (JSON numbers arrive typed, CSV cells as text). */
export const classifyCell = (value: CellValue): ValueKind => {
  if (value === null) return 'missing';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'string';
    return Number.isInteger(value) ? 'integral' : 'fractional';
  }
  if (typeof value === 'boolean') return 'string';
  return classifyText(value);
};

/**
 * The largest magnitude a profile takes. Past it a value is malformed, like a non-finite one: with every
 * value within 1e145 of zero, the sums of squared deviations of as many values as a double counts exactly
 * (2^53) stay below 1e307, so no mean, sum, spread or histogram bound of a window can overflow to Infinity.
 * Real features live far inside it; a value out there is a producer's bug or an attack.
 */
export const MAX_PROFILED_MAGNITUDE = 1e145;

/** Why a parsed number cannot be profiled, or undefined when it can. */
export const unprofilableNumber = (x: number): string | undefined => {
  if (Math.abs(x) <= MAX_PROFILED_MAGNITUDE) return undefined;
  return Number.isFinite(x)
    ? `number out of range (magnitude above ${MAX_PROFILED_MAGNITUDE})`
    : 'not a finite number';
};

const CODE_LOWER_N = 110;
const CODE_UPPER_N = 78;
const CODE_LOWER_I = 105;
const CODE_UPPER_I = 73;

/**
 * What float formatters write for NaN and the infinities: C and Python (`nan`, `inf`), Java, JavaScript and
 * Spark (`NaN`, `Infinity`), R (`Inf`), and upper case; with an optional sign. Other casings ("Nan" is a
 * name) stay text.
 */
const NON_FINITE_SPELLINGS: ReadonlySet<string> = new Set([
  'nan',
  'NaN',
  'NAN',
  'inf',
  'Inf',
  'INF',
  'infinity',
  'Infinity',
  'INFINITY',
]);

/** True when text[start, end) is a number formatter's spelling of NaN or an infinity (see above). */
export const isNonFiniteSpelling = (text: string, start: number, end: number): boolean => {
  let i = start;
  const sign = text.charCodeAt(i);
  if (sign === CODE_PLUS || sign === CODE_MINUS) i += 1;
  const length = end - i;
  if (length < 3 || length > 8) return false;
  // most text fails on its first letter, before a string is cut to look it up
  const first = text.charCodeAt(i);
  if (first !== CODE_LOWER_N && first !== CODE_UPPER_N && first !== CODE_LOWER_I && first !== CODE_UPPER_I)
    return false;
  return NON_FINITE_SPELLINGS.has(text.slice(i, end));
};
