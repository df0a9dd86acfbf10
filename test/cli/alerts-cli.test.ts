import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../cli/alerts-command.ts';
import { runCli } from '../support/run-cli.ts';

describe('model-care alerts', () => {
  test.each([
    ['90m', 90],
    ['4h', 240],
    ['2d', 2880],
  ])('reads --for %s as %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  test.each(['4', '0h', '4 hours', '-1h'])('rejects --for %s', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration like 90m, 4h or 2d/);
  });

  test('rejects a mute without a reason with exit 2, before calling anything', () => {
    const result = runCli(['alerts', 'mute', 'churn', '--for', '4h', '--url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--reason <text>' not specified");
  });

  test('rejects an unreachable admin API in one line with exit 2', () => {
    const result = runCli([
      'alerts',
      'ack',
      'churn/data/2026-07-01T08:00:00Z',
      '--url',
      'http://127.0.0.1:9',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});
