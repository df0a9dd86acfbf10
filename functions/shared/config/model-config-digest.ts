import { createHash } from 'node:crypto';

/**
 * Fingerprints and differences of parsed model configs, for the model store: a put whose config has the hash of
 * the current version changes nothing, and every version records which fields it changed (the before/after of
 * the audit trail at a glance; the full before and after are the two stored versions).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON with object keys sorted at every level, so equal configs give equal text whatever their key order */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: unknown): Json => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const sorted: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      // JSON drops undefined members; do it here too, or `{a: undefined}` and `{}` would hash apart
      if (value[key] !== undefined) sorted[key] = sortKeys(value[key]);
    }
    return sorted;
  }
  return value as Json;
};

/** `sha256:<hex>` of the canonical JSON */
export const configHash = (config: unknown): string =>
  `sha256:${createHash('sha256').update(canonicalJson(config)).digest('hex')}`;

/**
 * The paths at which `after` differs from `before` (`features[3].type`, `alerts.warning.emails`), in document
 * order, at most `limit` of them (a rewritten config of 1,000 features would otherwise list them all).
 * Arrays compare element by element; a path whose whole subtree is new or gone is listed once, not per leaf.
 */
export const changedPaths = (before: unknown, after: unknown, limit = 20): string[] => {
  const paths: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (paths.length >= limit) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`);
      return;
    }
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const key of keys) walk(a[key], b[key], path === '' ? key : `${path}.${key}`);
      return;
    }
    if (canonicalJson(a) !== canonicalJson(b)) paths.push(path === '' ? '(whole config)' : path);
  };
  walk(before, after, '');
  return paths;
};
