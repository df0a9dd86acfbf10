import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VERDICT_SETTINGS,
  VerdictSettingsError,
  verdictSettings,
} from '../../../functions/engine/verdicts/verdict-settings.ts';

describe('verdict settings', () => {
  it('applies the defaults', () => {
    expect(verdictSettings()).toEqual(DEFAULT_VERDICT_SETTINGS);
    expect(verdictSettings({ relevance: 0.05, alpha: undefined }).relevance).toBe(0.05);
  });

  it.each([
    [{ relevance: 0 }, 'verdicts.relevance: 0 is outside (0, 1)'],
    [{ relevance: 1 }, 'verdicts.relevance: 1 is outside (0, 1)'],
    [{ relevance: Number.NaN }, 'verdicts.relevance: null is outside (0, 1)'],
    [{ alpha: 0 }, 'verdicts.alpha: 0 is outside (0, 0.5]'],
    [{ alpha: 0.6 }, 'verdicts.alpha: 0.6 is outside (0, 0.5]'],
    [{ level: 'minute' as never }, 'verdicts.level: "minute" is not "hour" or "record"'],
  ])('rejects %o with one line naming the setting', (overrides, message) => {
    expect(() => verdictSettings(overrides)).toThrow(VerdictSettingsError);
    expect(() => verdictSettings(overrides)).toThrow(message);
  });

  it('rejects with the caller’s spelling of the setting', () => {
    expect(() => verdictSettings({ alpha: 0.9 }, '--')).toThrow('--alpha: 0.9 is outside (0, 0.5]');
  });
});
