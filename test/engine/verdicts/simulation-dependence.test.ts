import { describe, expect, it } from 'vitest';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import { correlatedStreams } from './support/correlated.ts';
import { rate } from './support/streams.ts';

// 50 features whose records share a common factor (correlation ρ = 0.5 between every pair of features), and
// whose windows share an hourly factor too: every window moves all features together by a random shift of KS
// distance up to δ (so each window stays within the null). 5 features are shifted by KS 0.15 besides, 45 not.
// At the first window where e-BH rejects anything, the false discovery proportion is the share of unchanged
// features among the rejected; its mean over the streams (the FDR) must stay at most α (+ 2 SE).
const STREAMS = 200;

describe('many correlated features: e-BH keeps the false discovery rate at the first alarm', () => {
  it('FDR at the first alarm <= α with 45 of 50 correlated features unchanged', () => {
    // Prepare
    const settings = verdictSettings();

    // Act
    const { proportions, alarmed } = correlatedStreams(STREAMS);

    // Assess
    const fdr = proportions.reduce((a, b) => a + b, 0) / STREAMS;
    const sd = Math.sqrt(proportions.reduce((a, b) => a + (b - fdr) ** 2, 0) / (STREAMS - 1));
    console.info(
      `50 features (ρ = 0.5), 45 unchanged: FDR at first alarm ${fdr.toFixed(4)} (SE ${(sd / Math.sqrt(STREAMS)).toFixed(4)}), ` +
        `alarmed in ${rate(alarmed, STREAMS).rate} of the streams`,
    );
    expect(alarmed).toBe(STREAMS);
    expect(fdr).toBeLessThanOrEqual(settings.alpha + (2 * sd) / Math.sqrt(STREAMS));
  });
});
