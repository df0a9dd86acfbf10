import { Cron } from 'croner';

/**
 * EventBridge's `cron(min hour day-of-month month day-of-week year)`, translated to croner's 7-part pattern
 * (`sec min hour dom month dow year`) so the dispatcher evaluates the same schedules EventBridge rules did.
 * Syntax, per the EventBridge user guide ("Cron expressions reference"):
 *
 * | field        | values           | wildcards       |
 * | minutes      | 0-59             | , - * /         |
 * | hours        | 0-23             | , - * /         |
 * | day-of-month | 1-31             | , - * ? / L W   |
 * | month        | 1-12 or JAN-DEC  | , - * /         |
 * | day-of-week  | 1-7 or SUN-SAT   | , - * ? L #     |
 * | year         | 1970-2199        | , - * /         |
 *
 * What needs translating, and why:
 * - day-of-week numbers: EventBridge counts 1-7 = SUN-SAT (Quartz); croner 0-6 = SUN-SAT. Names are the same.
 * - `nL` (last weekday n of the month) is croner's `(n-1)#L`; `n#k` is `(n-1)#k`; `L` alone in day-of-week is
 *   the last day of the week, Saturday.
 * - `a/s` (from a, every s) is croner's `a-max/s` (croner refuses the bare form); `*\/s` becomes `min-max/s`
 *   so years step from 1970, as in Quartz, and not from year 1.
 * - ranges that wrap (`20-2` in hours: the guide's own example) become the list of values they cover.
 * - `?` is croner's `*`; with only one of day-of-month and day-of-week restricted, croner's AND mode
 *   (`domAndDow`) restricts by that one alone, which is EventBridge's rule.
 * All times are UTC: rules evaluate cron expressions in UTC.
 */

export const CRON_FIELDS = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;
export type CronField = (typeof CRON_FIELDS)[number];

/** An expression EventBridge's cron syntax does not allow; the message names the field and the bad part. */
export class CronExpressionError extends Error {
  override readonly name = 'CronExpressionError';
  constructor(
    readonly expression: string,
    readonly field: CronField | undefined,
    readonly reason: string,
  ) {
    super(`${expression}: ${field ? `${field} ` : ''}${reason}`);
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  /** names for min, min+1, ... */
  readonly names?: readonly string[];
  readonly step: boolean;
  /** EventBridge's number -> croner's */
  readonly toCroner: (value: number) => number;
}

const same = (value: number) => value;
const SPECS: Record<CronField, FieldSpec> = {
  minutes: { min: 0, max: 59, step: true, toCroner: same },
  hours: { min: 0, max: 23, step: true, toCroner: same },
  'day-of-month': { min: 1, max: 31, step: true, toCroner: same },
  month: { min: 1, max: 12, names: MONTHS, step: true, toCroner: same },
  'day-of-week': { min: 1, max: 7, names: DAYS, step: false, toCroner: (value) => value - 1 },
  year: { min: 1970, max: 2199, step: true, toCroner: same },
};

const EXPRESSION = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;

type Fail = (field: CronField | undefined, reason: string) => never;

const fieldValue = (text: string, field: CronField, spec: FieldSpec, fail: Fail): number => {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d+$/.test(text)) {
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names.at(-1)}` : '';
    return fail(field, `"${text}" is not a value (${spec.min}-${spec.max}${names})`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    return fail(field, `${value} is out of range (${spec.min}-${spec.max})`);
  }
  return value;
};

/** the values from `from` to `to` (wrapping past max to min) every `step`, in EventBridge's numbers */
const wrappedValues = (from: number, to: number, step: number, spec: FieldSpec): number[] => {
  const span = spec.max - spec.min + 1;
  const count = (((to - from) % span) + span) % span;
  const values: number[] = [];
  for (let offset = 0; offset <= count; offset += step) {
    values.push(spec.min + ((from - spec.min + offset) % span));
  }
  return values;
};

/** one comma-separated item of a plain field (no L, W, #, ?) */
const translateItem = (item: string, field: CronField, spec: FieldSpec, fail: Fail): string => {
  const [base = '', stepText, extra] = item.split('/');
  if (extra !== undefined) return fail(field, `"${item}" has more than one "/"`);
  let step = 1;
  if (stepText !== undefined) {
    if (!spec.step) return fail(field, `"${item}": "/" is not allowed in ${field}`);
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
      return fail(field, `"${item}": the increment must be a positive whole number`);
    step = Number(stepText);
  }
  const map = spec.toCroner;
  if (base === '*') return stepText === undefined ? '*' : `${map(spec.min)}-${map(spec.max)}/${step}`;
  const [fromText = '', toText, more] = base.split('-');
  if (more !== undefined) return fail(field, `"${item}" is not a range (a-b)`);
  const from = fieldValue(fromText, field, spec, fail);
  // `a/s`: from a to the end of the field
  const to =
    toText === undefined ? (stepText === undefined ? from : spec.max) : fieldValue(toText, field, spec, fail);
  if (to >= from) {
    if (from === to && stepText === undefined) return String(map(from));
    return `${map(from)}-${map(to)}${stepText === undefined ? '' : `/${step}`}`;
  }
  if (field === 'year') return fail(field, `"${item}": a range of years cannot wrap around`);
  return wrappedValues(from, to, step, spec).map(map).join(',');
};

const translatePlain = (text: string, field: CronField, fail: Fail): string => {
  const spec = SPECS[field];
  return text
    .split(',')
    .map((item) => {
      if (item === '') return fail(field, `"${text}" has an empty list item`);
      return translateItem(item, field, spec, fail);
    })
    .join(',');
};

const translateDayOfMonth = (text: string, fail: Fail): string => {
  const field = 'day-of-month';
  if (text === '?' || text === 'L') return text === '?' ? '*' : 'L';
  const weekday = /^(\d+)W$/i.exec(text);
  if (weekday) return `${fieldValue(weekday[1] ?? '', field, SPECS[field], fail)}W`;
  if (/[LW?]/i.test(text)) {
    return fail(field, `"${text}": L, W and ? stand alone (L, 15W or ?), never in a list or range`);
  }
  return translatePlain(text, field, fail);
};

const translateDayOfWeek = (text: string, fail: Fail): string => {
  const field = 'day-of-week';
  const spec = SPECS[field];
  if (text === '?') return '*';
  // the last day of the week
  if (text.toUpperCase() === 'L') return String(spec.toCroner(7));
  const last = /^(\w+?)L$/i.exec(text);
  if (last && !text.includes(',') && !text.includes('-')) {
    return `${spec.toCroner(fieldValue(last[1] ?? '', field, spec, fail))}#L`;
  }
  const nth = /^(\w+)#(\d+)$/.exec(text);
  if (nth) {
    const instance = Number(nth[2]);
    if (instance < 1 || instance > 5) return fail(field, `"${text}": the instance after # must be 1-5`);
    return `${spec.toCroner(fieldValue(nth[1] ?? '', field, spec, fail))}#${instance}`;
  }
  if (text.includes('#')) {
    return fail(field, `"${text}": with "#" the field holds exactly one expression (3#1, not 3#1,6#3)`);
  }
  if (/[?]|\dL|^L|[,-]L/i.test(text)) {
    return fail(field, `"${text}": L and ? stand alone (L, 6L or ?), never in a list or range`);
  }
  return translatePlain(text, field, fail);
};

/**
 * The croner pattern for an EventBridge `cron(...)` expression; throws CronExpressionError naming the field.
 * Both `?`: any day (EventBridge asks for exactly one `?`; treating both as "any day" errs on judging windows).
 */
export const translateEventBridgeCron = (expression: string): string => {
  const fail: Fail = (field, reason) => {
    throw new CronExpressionError(expression, field, reason);
  };
  const match = EXPRESSION.exec(expression.trim());
  if (!match) return fail(undefined, 'is not cron(minutes hours day-of-month month day-of-week year)');
  const [, minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = match;
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    return fail('day-of-week', 'or day-of-month must be "?" (EventBridge takes one of the two, never both)');
  }
  return [
    '0',
    translatePlain(minutes, 'minutes', fail),
    translatePlain(hours, 'hours', fail),
    translateDayOfMonth(dayOfMonth, fail),
    translatePlain(month, 'month', fail),
    translateDayOfWeek(dayOfWeek, fail),
    translatePlain(year, 'year', fail),
  ].join(' ');
};

/** croner's reading of a translated pattern: UTC, seconds and year fields, AND of the two day fields, no timer */
export const cronerFor = (expression: string): Cron => {
  const pattern = translateEventBridgeCron(expression);
  try {
    return new Cron(pattern, { mode: '7-part', utcOffset: 0, domAndDow: true, paused: true });
  } catch (error) {
    // a combination the field checks above let through (e.g. an increment larger than the field)
    throw new CronExpressionError(
      expression,
      undefined,
      `is not a valid schedule (${(error as Error).message})`,
    );
  }
};
