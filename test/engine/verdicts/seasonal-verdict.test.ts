import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import {
  advanceVerdicts,
  type VerdictReferences,
} from '../../../functions/engine/verdicts/dataset-verdict.ts';
import { featureReference } from '../../../functions/engine/verdicts/feature-reference.ts';
import {
  SLOT_MIX_FEATURE,
  seasonalReference,
} from '../../../functions/engine/verdicts/seasonal-reference.ts';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import type { FeatureVerdictState } from '../../../functions/engine/verdicts/verdict-state.ts';
import { logisticQuantile, rngFor } from './support/streams.ts';

// advanceVerdicts with an hour-of-day reference: each hourly window is judged against its own slot, in its own
// lane, and every finished day feeds the slot mix (rows per hour) as one window of its own check.
const settings = verdictSettings();
const diurnal = (hour: number) => 1.5 * Math.sin((2 * Math.PI * hour) / 24);
const summaryOf = (rows: number, hour: number, rng: () => number) => {
  const profile = new DatasetProfile(['x']);
  for (let i = 0; i < rows; i++) profile.addRow([logisticQuantile(rng()) + diurnal(hour)]);
  return summarizeProfile(profile);
};

const rng = rngFor(2024);
const slots = Array.from({ length: 24 }, (_, hour) => summaryOf(12_000, hour, rng));
const pooledProfile = new DatasetProfile(['x']);
{
  const r = rngFor(7);
  for (let hour = 0; hour < 24; hour++)
    for (let i = 0; i < 12_000; i++) pooledProfile.addRow([logisticQuantile(r()) + diurnal(hour)]);
}
const pooled = featureReference(summarizeProfile(pooledProfile).features[0]!, {
  risk: settings.referenceRisk,
})!;
const seasonal = seasonalReference('hour-of-day', [pooled], slots, settings.referenceRisk);

/** days of hourly windows; `rowsAt(hour)` rows each; returns the first window key at which each check alarmed */
const run = (references: VerdictReferences, days: number, rowsAt: (hour: number) => number) => {
  const r = rngFor(99);
  let states = new Map<string, FeatureVerdictState>();
  const firstAlarm = new Map<string, number>();
  for (let t = 0; t < days * 24; t++) {
    const hour = t % 24;
    const rows = rowsAt(hour);
    const { states: next, verdict } = advanceVerdicts(
      references,
      {
        key: String(t).padStart(6, '0'),
        summary: summaryOf(rows, hour, r),
        slotRows: new Map([[hour, rows]]),
        cycle: Math.floor(t / 24),
      },
      states,
      settings,
    );
    states = next;
    for (const f of verdict.features) if (f.alarm && !firstAlarm.has(f.name)) firstAlarm.set(f.name, t);
  }
  return firstAlarm;
};

describe('the dataset verdict with an hour-of-day reference', () => {
  it('stays quiet on diurnal traffic like the reference, where the pooled reference alarms', () => {
    const steady = () => 100;
    expect(run({ id: 'seasonal', features: [pooled], seasonal }, 8, steady)).toEqual(new Map());
    expect(run({ id: 'pooled', features: [pooled] }, 8, steady).has('x')).toBe(true);
  });

  it('finds traffic moving into the night through the slot mix, not through the values', () => {
    const alarms = run({ id: 'seasonal', features: [pooled], seasonal }, 10, (hour) => (hour < 7 ? 400 : 40));
    expect(alarms.has('x')).toBe(false);
    expect(alarms.get(SLOT_MIX_FEATURE)).toBeDefined();
  });
});
