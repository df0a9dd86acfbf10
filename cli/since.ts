import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`: a look-back (`30m`, `12h`, `7d`, `2w`) counted from `now`, or an ISO-8601 instant with a zone
 * (`2026-11-23T08:00Z`). Commander calls it with the flag's text.
 */
export const parseSince = (text: string, now: Date = new Date()): Date => {
  const relative = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidArgumentError(
    `"${text}" is neither a look-back like 30m, 12h, 7d, 2w nor an ISO-8601 instant with a zone`,
  );
};
