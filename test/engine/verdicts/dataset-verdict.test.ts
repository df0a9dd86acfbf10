import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../functions/engine/baseline/feature-summary.ts';
import { InputError } from '../../../functions/engine/errors.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import {
  advanceVerdicts,
  type VerdictReferences,
} from '../../../functions/engine/verdicts/dataset-verdict.ts';
import { featureReference } from '../../../functions/engine/verdicts/feature-reference.ts';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import {
  type FeatureVerdictState,
  parseFeatureVerdictState,
} from '../../../functions/engine/verdicts/verdict-state.ts';
import { logisticQuantile, rngFor } from './support/streams.ts';

const COLUMNS = ['x', 'colour'];
const COLOURS = ['red', 'green', 'blue'];

/** rows of a logistic number shifted by `shift` and a colour drawn with `weights` */
const profileOf = (rows: number, seed: number, shift = 0, weights = [0.5, 0.3, 0.2]) => {
  const rng = rngFor(seed);
  const profile = new DatasetProfile(COLUMNS);
  for (let i = 0; i < rows; i++) {
    const u = rng();
    const colour = u < weights[0]! ? 0 : u < weights[0]! + weights[1]! ? 1 : 2;
    profile.addRow([logisticQuantile(rng()) + shift, COLOURS[colour]!]);
  }
  return summarizeProfile(profile);
};

const settings = verdictSettings();
const baseline = profileOf(20_000, 1);
const references: VerdictReferences = {
  id: 'baselines/m/1/statistics.json',
  features: baseline.features.map((f) => featureReference(f, { risk: settings.referenceRisk })!),
};
const key = (t: number) => `w${String(t).padStart(4, '0')}`;

const run = (
  windows: { shift: number; weights?: number[]; rows?: number }[],
  roundTrip = false,
  refs = references,
) => {
  let states = new Map<string, FeatureVerdictState>();
  const verdicts = windows.map((w, t) => {
    const { states: next, verdict } = advanceVerdicts(
      refs,
      { key: key(t), summary: profileOf(w.rows ?? 150, 100 + t, w.shift, w.weights) },
      states,
      settings,
    );
    states = roundTrip
      ? new Map(
          [...next].map(([name, s]) => [name, parseFeatureVerdictState(JSON.parse(JSON.stringify(s)), name)]),
        )
      : next;
    return verdict;
  });
  return { verdicts, states };
};

describe('the dataset verdict over a stream of windows', () => {
  it('stays quiet on windows like the baseline, and alarms on a numeric shift naming the feature', () => {
    const quiet = run(Array.from({ length: 48 }, () => ({ shift: 0 })));
    expect(quiet.verdicts.some((v) => v.alarm)).toBe(false);

    const shifted = run(Array.from({ length: 48 }, (_, t) => ({ shift: t >= 8 ? 1.2 : 0 })));
    const first = shifted.verdicts.findIndex((v) => v.alarm);
    expect(first).toBeGreaterThan(8);
    expect(shifted.verdicts[first]!.newAlarms).toEqual(['x']);
    expect(shifted.verdicts[first]!.summary).toMatch(
      /1 of 2 feature\(s\) carry drift evidence beyond δ = 0.03/,
    );
    expect(shifted.verdicts.at(-1)!.features.find((f) => f.name === 'x')!.alarmedSince).toBe(key(first));
  });

  it('alarms on a categorical shift (total variation)', () => {
    const { verdicts } = run(
      Array.from({ length: 48 }, (_, t) => ({ shift: 0, weights: t >= 4 ? [0.2, 0.3, 0.5] : undefined })),
    );
    const first = verdicts.find((v) => v.alarm);
    expect(first?.newAlarms).toEqual(['colour']);
  });

  it('leaves the evidence unchanged by a window without rows, and says so', () => {
    const before = run([{ shift: 0.8 }, { shift: 0.8 }, { shift: 0.8 }]);
    const { states, verdict } = advanceVerdicts(
      references,
      { key: key(3), summary: { rows: 0, features: [] } },
      before.states,
      settings,
    );
    expect(verdict.status).toBe('no-data');
    expect(verdict.summary).toBe('no rows in the window: evidence unchanged');
    for (const [name, state] of states) expect(state.evidence).toEqual(before.states.get(name)!.evidence);
  });

  it('does not count a window twice', () => {
    const before = run([{ shift: 0.8 }, { shift: 0.8 }, { shift: 0.8 }]);
    const again = advanceVerdicts(
      references,
      { key: key(1), summary: profileOf(150, 1, 0.8) },
      before.states,
      settings,
    );
    expect(again.verdict.status).toBe('repeat');
    expect([...again.states.values()]).toEqual([...before.states.values()]);
  });

  it('starts afresh against another reference', () => {
    const before = run(Array.from({ length: 30 }, () => ({ shift: 1.2 })));
    expect(before.verdicts.at(-1)!.alarm).toBe(true);
    const other = { ...references, id: 'baselines/m/2/statistics.json' };
    const { verdict } = advanceVerdicts(
      other,
      { key: key(30), summary: profileOf(150, 9, 1.2) },
      before.states,
      settings,
    );
    expect(verdict.alarm).toBe(false);
    expect(verdict.features.every((f) => f.alarmedSince === null && f.evidence === 1)).toBe(true);
  });

  it('gives the same verdicts when the state is stored as JSON between windows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            shift: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
            rows: fc.integer({ min: 0, max: 200 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (windows) => {
          expect(run(windows, true).verdicts).toEqual(run(windows, false).verdicts);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rejects a damaged stored state, naming the field', () => {
    const { states } = run([{ shift: 0 }, { shift: 0 }]);
    const json = JSON.parse(JSON.stringify(states.get('x')));
    json.evidence.lanes[0].recent.pop();
    expect(() => parseFeatureVerdictState(json, 'state of x')).toThrow(InputError);
    expect(() => parseFeatureVerdictState(json, 'state of x')).toThrow(
      'state of x field "evidence.lanes.0.recent": holds 31 cells, the state says 32',
    );
    expect(() => parseFeatureVerdictState({ ...json, formatVersion: 2 }, 'state of x')).toThrow(
      /formatVersion/,
    );
  });
});
