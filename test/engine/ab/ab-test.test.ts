import { describe, expect, it } from 'vitest';
import {
  AbTestInputError,
  advanceAbTest,
  freshAbTest,
  viewAbTest,
} from '../../../functions/engine/ab/ab-test.ts';
import {
  checkWinnerTestSettings,
  DEFAULT_WINNER_TEST_SETTINGS,
  WinnerTestSettingsError,
} from '../../../functions/engine/ab/paired-test.ts';

const ones = (n: number, errors: number) => Array.from({ length: n }, (_, i) => (i < errors ? 1 : 0));

describe('the A/B test view', () => {
  it('reports each variant’s requests, labels, traffic share and error rate', () => {
    // Act
    let state = freshAbTest('champion', 'challenger');
    state = advanceAbTest(
      state,
      [
        { requests: 90, losses: ones(40, 10) },
        { requests: 30, losses: ones(10, 1) },
      ],
      DEFAULT_WINNER_TEST_SETTINGS,
    );
    const view = viewAbTest(state);

    // Assess
    expect(view.variants).toEqual([
      { name: 'champion', requests: 90, labelled: 40, trafficShare: 0.75, meanLoss: 0.25 },
      { name: 'challenger', requests: 30, labelled: 10, trafficShare: 0.25, meanLoss: 0.1 },
    ]);
    expect(view.pairs).toBe(10);
    expect(view.difference).toBeCloseTo(0.1 - 0.25, 12);
    expect(view.lower).toBeLessThan(view.difference!);
    expect(view.upper).toBeGreaterThan(view.difference!);
    expect(view.decision).toBe('undecided');
    expect(view.winner).toBeNull();
    expect(view.hours).toBe(1);
  });

  it('names the winner and the hour it was decided, and keeps it', () => {
    // Act: B is always right, A always wrong, for 10 hours
    let state = freshAbTest('champion', 'challenger');
    const views = [];
    for (let h = 0; h < 10; h++) {
      state = advanceAbTest(
        state,
        [
          { requests: 20, losses: ones(20, 20) },
          { requests: 20, losses: ones(20, 0) },
        ],
        DEFAULT_WINNER_TEST_SETTINGS,
      );
      views.push(viewAbTest(state));
    }

    // Assess
    const last = views.at(-1)!;
    expect(last.decision).toBe('B');
    expect(last.winner).toBe('challenger');
    expect(last.decidedAtHour).toBeGreaterThanOrEqual(1);
    expect(views[last.decidedAtHour! - 1]!.evidence).toBeGreaterThanOrEqual(
      2 / DEFAULT_WINNER_TEST_SETTINGS.alpha,
    );
    expect(last.evidenceForA).toBeLessThanOrEqual(1);
  });

  it('does not decide for B when B is better only by less than the margin', () => {
    // Act: A errs 30%, B 25%, a margin of 10 points
    let state = freshAbTest('A', 'B');
    for (let h = 0; h < 200; h++) {
      state = advanceAbTest(
        state,
        [
          { requests: 20, losses: ones(20, 6) },
          { requests: 20, losses: ones(20, 5) },
        ],
        { alpha: 0.05, margin: 0.1 },
      );
    }

    // Assess
    expect(viewAbTest(state).decision).toBe('undecided');
  });

  it.each([
    [{ requests: -1, losses: [] }, 'variant A: requests must be a whole number >= 0, got -1'],
    [{ requests: 1, losses: [1.5] }, 'variant A: a loss must be in [0, 1], got 1.5'],
  ])('rejects a bad hour with one line naming the variant: %j', (hour, message) => {
    expect(() =>
      advanceAbTest(freshAbTest('A', 'B'), [hour, { requests: 0, losses: [] }], DEFAULT_WINNER_TEST_SETTINGS),
    ).toThrow(new AbTestInputError(message));
  });

  it.each([
    [{ alpha: 0, margin: 0 }, 'alpha must be in (0, 1), got 0'],
    [{ alpha: 0.05, margin: -0.1 }, 'margin must be in [0, 1), got -0.1'],
  ])('rejects settings out of range: %j', (settings, message) => {
    expect(() => checkWinnerTestSettings(settings)).toThrow(new WinnerTestSettingsError(message));
  });
});
