import { describe, expect, test } from 'vitest';
import {
  CronExpressionError,
  translateEventBridgeCron,
} from '../../../functions/handler-kit/scheduling/eventbridge-cron.ts';
import { parseSchedule } from '../../../functions/handler-kit/scheduling/schedule-expression.ts';

const fires = (expression: string, after: string, upTo: string): string[] =>
  parseSchedule(expression)
    .fireTimes(new Date(after), new Date(upTo))
    .map((d) => d.toISOString().replace('.000Z', 'Z'));

describe('translating EventBridge cron to croner', () => {
  // croner: `sec min hour dom month dow year`, day-of-week 0-6 = SUN-SAT; EventBridge: 1-7 = SUN-SAT
  test.each([
    ['every day at 10:00', 'cron(0 10 * * ? *)', '0 0 10 * * * *'],
    ['day-of-week numbers shift down by one', 'cron(0 12 ? * 1,4,7 *)', '0 0 12 * * 0,3,6 *'],
    ['day-of-week names become croner numbers', 'cron(0 18 ? * MON-FRI *)', '0 0 18 * * 1-5 *'],
    ['lower-case names', 'cron(0 18 ? * mon-fri *)', '0 0 18 * * 1-5 *'],
    ['a day-of-week range that wraps', 'cron(0 9 ? * SAT-SUN *)', '0 0 9 * * 6,0 *'],
    ['nL: the last such weekday of the month', 'cron(15 10 ? * 6L 2019-2022)', '0 15 10 * * 5#L 2019-2022'],
    ['a named nL', 'cron(15 10 ? * FRIL *)', '0 15 10 * * 5#L *'],
    ['n#k: the k-th such weekday', 'cron(0 9 ? * 2#1 *)', '0 0 9 * * 1#1 *'],
    ['a named n#k', 'cron(0 9 ? * TUE#2 *)', '0 0 9 * * 2#2 *'],
    ['L alone in day-of-week: the last day of the week, Saturday', 'cron(0 9 ? * L *)', '0 0 9 * * 6 *'],
    ['L in day-of-month', 'cron(0 8 L * ? *)', '0 0 8 L * * *'],
    ['nW in day-of-month', 'cron(0 8 3W * ? *)', '0 0 8 3W * * *'],
    ['a/s: from a to the end of the field', 'cron(1/10 * * * ? *)', '0 1-59/10 * * * * *'],
    ['*/s steps from the field minimum', 'cron(*/20 * * * ? *)', '0 0-59/20 * * * * *'],
    [
      'an hour range that wraps past midnight',
      'cron(0/30 20-2 ? * MON-FRI *)',
      '0 0-59/30 20,21,22,23,0,1,2 * * 1-5 *',
    ],
    ['a wrapping range with an increment', 'cron(0 22-3/2 * * ? *)', '0 0 22,0,2 * * * *'],
    ['month names', 'cron(0 8 1 JAN,jul ? *)', '0 0 8 1 1,7 * *'],
    ['month increments', 'cron(0 0 1 */3 ? *)', '0 0 0 1 1-12/3 * *'],
    ['year increments start at 1970 as in Quartz', 'cron(0 0 1 1 ? */2)', '0 0 0 1 1 * 1970-2199/2'],
    ['a year list', 'cron(0 0 1 1 ? 2027,2029)', '0 0 0 1 1 * 2027,2029'],
    ['day-of-month restricted, day-of-week any', 'cron(0 8 1-15 * ? *)', '0 0 8 1-15 * * *'],
    ['both day fields "?" are any day', 'cron(0 8 ? * ? *)', '0 0 8 * * * *'],
  ])('%s: %s', (_name, expression, pattern) => {
    expect(translateEventBridgeCron(expression)).toBe(pattern);
  });

  test.each([
    ['both day fields set', 'cron(0 0 1 * MON *)', 'day-of-week or day-of-month must be "?"'],
    ['both day fields *', 'cron(0 0 * * * *)', 'must be "?"'],
    ['minutes out of range', 'cron(60 0 * * ? *)', 'minutes 60 is out of range (0-59)'],
    ['hours out of range', 'cron(0 24 * * ? *)', 'hours 24 is out of range (0-23)'],
    ['day-of-week 0 (EventBridge counts from 1)', 'cron(0 0 ? * 0 *)', 'day-of-week 0 is out of range (1-7)'],
    ['day-of-week 8', 'cron(0 0 ? * 8 *)', 'day-of-week 8 is out of range (1-7)'],
    ['two # expressions', 'cron(0 0 ? * 3#1,6#3 *)', 'exactly one expression'],
    ['a sixth instance', 'cron(0 0 ? * 2#6 *)', 'must be 1-5'],
    ['an increment in day-of-week', 'cron(0 0 ? * MON/2 *)', '"/" is not allowed in day-of-week'],
    ['L in a list', 'cron(0 0 L,15 * ? *)', 'stand alone'],
    ['W in a range', 'cron(0 0 1W-5 * ? *)', 'stand alone'],
    ['a year range that wraps', 'cron(0 0 * * ? 2030-2020)', 'cannot wrap'],
    ['a year before 1970', 'cron(0 0 * * ? 1969)', 'year 1969 is out of range (1970-2199)'],
    ['L in minutes', 'cron(L 0 * * ? *)', 'minutes "L" is not a value'],
    ['? in hours', 'cron(0 ? * * ? *)', 'hours "?" is not a value'],
    ['an unknown month name', 'cron(0 0 1 FOO ? *)', 'month "FOO" is not a value (1-12 or JAN-DEC)'],
    ['five fields', 'cron(0 0 * * ?)', 'is not cron(minutes hours'],
    ['seven fields', 'cron(0 0 0 * * ? *)', 'is not cron(minutes hours'],
    ['a zero increment', 'cron(0/0 * * * ? *)', 'increment must be a positive whole number'],
    ['an empty list item', 'cron(0,,5 * * * ? *)', 'empty list item'],
  ])('rejects %s, naming the field', (_name, expression, message) => {
    const error = (() => {
      try {
        translateEventBridgeCron(expression);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CronExpressionError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message.startsWith(expression)).toBe(true);
  });
});

/**
 * The examples of the Amazon EventBridge User Guide, "Cron expressions reference" (Examples table, the
 * `aws events put-rule` examples, and the wildcard explanations), with the fire times written out by hand
 * from the meaning the guide gives. Calendar anchors: 2026-03-01 is a Sunday; 2026-01-03 a Saturday;
 * 2026-05-03 a Sunday; 2028 is a leap year.
 */
describe('EventBridge documented examples', () => {
  test.each([
    [
      'cron(0 10 * * ? *): 10:00 am UTC every day',
      'cron(0 10 * * ? *)',
      '2026-03-01T10:00:00Z',
      '2026-03-04T10:00:00Z',
      ['2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z', '2026-03-04T10:00:00Z'],
    ],
    [
      'cron(15 12 * * ? *): 12:15 pm UTC every day',
      'cron(15 12 * * ? *)',
      '2026-03-01T12:15:00Z',
      '2026-03-03T23:59:00Z',
      ['2026-03-02T12:15:00Z', '2026-03-03T12:15:00Z'],
    ],
    [
      'cron(0 18 ? * MON-FRI *): 6:00 pm UTC Monday through Friday',
      'cron(0 18 ? * MON-FRI *)',
      '2026-03-06T00:00:00Z',
      '2026-03-10T23:59:00Z',
      ['2026-03-06T18:00:00Z', '2026-03-09T18:00:00Z', '2026-03-10T18:00:00Z'],
    ],
    [
      'cron(0 8 1 * ? *): 8:00 am UTC on the 1st of every month',
      'cron(0 8 1 * ? *)',
      '2026-01-15T00:00:00Z',
      '2026-04-01T08:00:00Z',
      ['2026-02-01T08:00:00Z', '2026-03-01T08:00:00Z', '2026-04-01T08:00:00Z'],
    ],
    [
      'cron(0/15 * * * ? *): every 15 minutes',
      'cron(0/15 * * * ? *)',
      '2026-03-02T10:07:00Z',
      '2026-03-02T11:00:00Z',
      ['2026-03-02T10:15:00Z', '2026-03-02T10:30:00Z', '2026-03-02T10:45:00Z', '2026-03-02T11:00:00Z'],
    ],
    [
      'cron(0/10 * ? * MON-FRI *): every 10 minutes Monday through Friday',
      'cron(0/10 * ? * MON-FRI *)',
      '2026-03-06T23:35:00Z',
      '2026-03-09T00:10:00Z',
      ['2026-03-06T23:40:00Z', '2026-03-06T23:50:00Z', '2026-03-09T00:00:00Z', '2026-03-09T00:10:00Z'],
    ],
    [
      'cron(0/5 8-17 ? * MON-FRI *): every 5 minutes, Monday to Friday, 8:00 am to 5:55 pm UTC',
      'cron(0/5 8-17 ? * MON-FRI *)',
      '2026-03-06T17:45:00Z',
      '2026-03-09T08:05:00Z',
      ['2026-03-06T17:50:00Z', '2026-03-06T17:55:00Z', '2026-03-09T08:00:00Z', '2026-03-09T08:05:00Z'],
    ],
    [
      'cron(0/30 20-2 ? * MON-FRI *): every 30 minutes, 10 pm to 2 am, and 12 am to 2 am on Monday morning',
      'cron(0/30 20-2 ? * MON-FRI *)',
      '2026-03-01T00:00:00Z',
      '2026-03-02T20:30:00Z',
      [
        '2026-03-02T00:00:00Z',
        '2026-03-02T00:30:00Z',
        '2026-03-02T01:00:00Z',
        '2026-03-02T01:30:00Z',
        '2026-03-02T02:00:00Z',
        '2026-03-02T02:30:00Z',
        '2026-03-02T20:00:00Z',
        '2026-03-02T20:30:00Z',
      ],
    ],
    [
      'cron(0 12 * * ? *): every day at 12:00 pm UTC',
      'cron(0 12 * * ? *)',
      '2026-03-01T11:00:00Z',
      '2026-03-02T12:00:00Z',
      ['2026-03-01T12:00:00Z', '2026-03-02T12:00:00Z'],
    ],
    [
      'cron(5,35 14 * * ? *): every day at 2:05 pm and 2:35 pm UTC',
      'cron(5,35 14 * * ? *)',
      '2026-03-01T00:00:00Z',
      '2026-03-02T14:05:00Z',
      ['2026-03-01T14:05:00Z', '2026-03-01T14:35:00Z', '2026-03-02T14:05:00Z'],
    ],
    [
      'cron(1/10 * * * ? *): every tenth minute from the first minute',
      'cron(1/10 * * * ? *)',
      '2026-03-01T09:55:00Z',
      '2026-03-01T10:31:00Z',
      ['2026-03-01T10:01:00Z', '2026-03-01T10:11:00Z', '2026-03-01T10:21:00Z', '2026-03-01T10:31:00Z'],
    ],
    [
      'cron(0 9 3W * ? *): the weekday closest to the 3rd (Sat 3 Jan -> Fri 2 Jan; Sun 3 May -> Mon 4 May)',
      'cron(0 9 3W * ? *)',
      '2026-01-01T00:00:00Z',
      '2026-05-31T00:00:00Z',
      [
        '2026-01-02T09:00:00Z',
        '2026-02-03T09:00:00Z',
        '2026-03-03T09:00:00Z',
        '2026-04-03T09:00:00Z',
        '2026-05-04T09:00:00Z',
      ],
    ],
    [
      'cron(0 9 ? * 3#2 *): the second Tuesday of the month',
      'cron(0 9 ? * 3#2 *)',
      '2026-03-01T00:00:00Z',
      '2026-05-31T00:00:00Z',
      ['2026-03-10T09:00:00Z', '2026-04-14T09:00:00Z', '2026-05-12T09:00:00Z'],
    ],
    [
      'cron(0 9 L * ? *): the last day of the month, 29 February in a leap year',
      'cron(0 9 L * ? *)',
      '2028-01-31T10:00:00Z',
      '2028-03-31T09:00:00Z',
      ['2028-02-29T09:00:00Z', '2028-03-31T09:00:00Z'],
    ],
  ])('%s', (_name, expression, after, upTo, expected) => {
    expect(fires(expression, after, upTo)).toEqual(expected);
  });

  test('cron(15 10 ? * 6L 2019-2022): 10:15 am UTC on the last Friday of each month, 2019 to 2022 only', () => {
    const all = fires('cron(15 10 ? * 6L 2019-2022)', '2018-12-31T00:00:00Z', '2024-01-01T00:00:00Z');
    expect(all).toHaveLength(48);
    expect(all.slice(0, 3)).toEqual(['2019-01-25T10:15:00Z', '2019-02-22T10:15:00Z', '2019-03-29T10:15:00Z']);
    // 31 December 2022 is a Saturday
    expect(all.at(-1)).toBe('2022-12-30T10:15:00Z');
  });

  test('day-of-week 1 is Sunday and 7 is Saturday', () => {
    expect(fires('cron(0 0 ? * 1 *)', '2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z')).toEqual([
      '2026-03-08T00:00:00Z',
    ]);
    expect(fires('cron(0 0 ? * 7 *)', '2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z')).toEqual([
      '2026-03-07T00:00:00Z',
    ]);
  });
});

describe('rate expressions', () => {
  test.each([
    [
      'rate(1 hour)',
      '2026-03-01T09:30:00Z',
      '2026-03-01T12:00:00Z',
      ['2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z', '2026-03-01T12:00:00Z'],
    ],
    [
      'rate(15 minutes)',
      '2026-03-01T09:00:00Z',
      '2026-03-01T09:30:00Z',
      ['2026-03-01T09:15:00Z', '2026-03-01T09:30:00Z'],
    ],
    [
      'rate(1 day)',
      '2026-03-01T00:00:00Z',
      '2026-03-03T00:00:00Z',
      ['2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'],
    ],
    // 7-minute periods count from the epoch, not from the hour: 2026-03-01T00:00Z is minute 29,538,720 = 1 (mod 7)
    [
      'rate(7 minutes)',
      '2026-03-01T00:00:00Z',
      '2026-03-01T00:14:00Z',
      ['2026-03-01T00:06:00Z', '2026-03-01T00:13:00Z'],
    ],
  ])('%s fires on multiples of its period since the epoch', (expression, after, upTo, expected) => {
    expect(fires(expression, after, upTo)).toEqual(expected);
  });

  test.each([['rate(0 minutes)'], ['rate(1 hours)'], ['rate(2 hour)'], ['every hour']])(
    'rejects %s',
    (expression) => {
      expect(() => parseSchedule(expression)).toThrow(CronExpressionError);
    },
  );
});
