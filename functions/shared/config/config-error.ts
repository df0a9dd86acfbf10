import type { z } from 'zod';

/** A config that failed validation: one line naming the source, the field path and the bad value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    const plain = /^[A-Za-z_$][\w$]*$/.test(name);
    if (!plain) return `${text}[${JSON.stringify(name)}]`;
    return text === '' ? name : `${text}.${name}`;
  }, '');

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );

const describeValue = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

// zod's own messages start with a capital ("Invalid input: expected number, received string"); ours with a verb
const explain = (message: string): string => {
  if (/^[a-z]/.test(message)) return message;
  const text = message.replace(/^Invalid (input|option): /, '');
  return `is invalid: ${text[0]?.toLowerCase() ?? ''}${text.slice(1)}`;
};

/** One line for the first problem: `<source>: <path>: <value> <what is wrong>`. */
export const formatConfigIssue = (source: string, issue: z.core.$ZodIssue, input: unknown): string => {
  const where = formatPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return `${source}: ${where}: unknown field ${keys} (check the spelling against docs/deploy.md)`;
  }
  // an issue about a record key names the key itself; the value below it is beside the point
  if (issue.code === 'custom' && issue.params?.keyIssue) return `${source}: ${where}: ${issue.message}`;
  const value = valueAt(input, issue.path);
  if (value === undefined)
    return `${source}: ${where}: is required (${explain(issue.message).replace(/^is invalid: /, '')})`;
  return `${source}: ${where}: ${describeValue(value)} ${explain(issue.message)}`;
};
