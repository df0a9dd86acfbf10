/**
 * Canonical JSON (RFC 8785, the JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. Two equal values always give the
 * same text, so a hash over it does not depend on key order or on which program wrote the value.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value that has no canonical JSON form: a non-finite number, undefined, a function, a class instance. */
export class NotCanonicalJsonError extends Error {
  override readonly name = 'NotCanonicalJsonError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const write = (value: unknown, path: string, out: string[]): void => {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalJsonError(path, `${value} is not a JSON number`);
      // -0 is written as 0, as JSON.stringify does
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, i) => {
          if (i > 0) out.push(',');
          write(item, `${path}[${i}]`, out);
        });
        out.push(']');
        return;
      }
      if (!isPlainObject(value)) throw new NotCanonicalJsonError(path, 'only plain objects are JSON objects');
      // default sort compares UTF-16 code units, which is what RFC 8785 asks for
      const keys = Object.keys(value).sort();
      out.push('{');
      keys.forEach((key, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(key), ':');
        write((value as Record<string, unknown>)[key], `${path}.${key}`, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new NotCanonicalJsonError(path, `a ${typeof value} is not JSON`);
  }
};

/** The canonical text of a JSON value; NotCanonicalJsonError naming the path of anything that is not JSON. */
export const canonicalJson = (value: unknown, path = '$'): string => {
  const out: string[] = [];
  write(value, path, out);
  return out.join('');
};
