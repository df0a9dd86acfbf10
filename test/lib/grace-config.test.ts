import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import { churnModel } from '../handlers/support/quality-fixtures.ts';

describe('schedules.graceMinutes', () => {
  test('defaults to 10 minutes and keeps a given grace', () => {
    expect(churnModel('grace-default').schedules.graceMinutes).toBe(10);
    const custom = churnModel('grace-custom', { schedules: { data: 'rate(1 hour)', graceMinutes: 0 } });
    expect(custom.schedules.graceMinutes).toBe(0);
  });

  test.each([
    ['a negative grace', -5, '-5 is invalid: too small'],
    ['a fractional grace', 2.5, '2.5 is invalid'],
    ['more than a day', 1441, '1441 is invalid: too big'],
  ])('rejects %s, naming the field', (_name, graceMinutes, message) => {
    const parse = () => churnModel('grace-bad', { schedules: { data: 'rate(1 hour)', graceMinutes } });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`schedules.graceMinutes: ${message}`);
  });
});
