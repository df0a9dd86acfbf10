import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalWorld } from '../../local/runtime/local-world.ts';
import { ANCHOR_MODEL, fleetModel, sendRecords, startFleetWorld } from './fleet-twin-world.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** a quarter past midnight: the daily quality window that closed at midnight was due at 00:10, before the twin starts */
const START = new Date('2026-11-02T00:15:00Z');
const MODELS = 50;
const HOURS = 6;
const OUT = join('out', 'test-fleet-twin');

const dataRuns = (world: LocalWorld, model?: string) =>
  world.runMetrics.runs.filter(
    (run) => run.job === 'data' && run.model !== ANCHOR_MODEL && (model === undefined || run.model === model),
  );

// The deployed wiring on the emulators: the template's one tick rule fires the dispatcher every 5 simulated
// minutes, the dispatcher reads the seeded fleet index and puts Window Due events, and the template's Window Due
// rule sends each to the data job, which reads the model's config from the models table.
describe('50 models in the local twin, for 6 simulated hours', () => {
  const models = Array.from({ length: MODELS }, (_, i) =>
    fleetModel(`m${String(i + 1).padStart(2, '0')}`, 4),
  );
  let world: LocalWorld;
  let ticks = 0;

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    ({ world } = await startFleetWorld(OUT, models, START));
    for (let hour = 0; hour < HOURS; hour++) {
      ticks += await world.advanceTo(new Date(START.getTime() + hour * HOUR_MS + 15 * MINUTE_MS));
      for (const model of models) await sendRecords(world, model, 20);
    }
    // the last window closes at 06:00 and is due at 06:10
    ticks += await world.advanceTo(new Date(START.getTime() + HOURS * HOUR_MS));
  }, 600_000);
  afterAll(async () => {
    await world?.stop();
  });

  test('the tick rule fired every 5 minutes and nothing failed on the way', () => {
    expect(ticks).toBe((HOURS * 60) / 5);
    expect(world.dispatchErrors).toEqual([]);
  });

  test('every window of every model was judged once, with its capture', () => {
    const runs = dataRuns(world);
    expect(runs).toHaveLength(MODELS * HOURS);
    const judged = new Set(runs.map((run) => `${run.model}@${run.windowStart.toISOString()}`));
    expect(judged.size).toBe(MODELS * HOURS);
    for (const model of models) {
      expect(
        dataRuns(world, model.name).map((run) => run.windowStart.toISOString()),
        model.name,
      ).toEqual(
        Array.from({ length: HOURS }, (_, h) =>
          new Date(Date.parse('2026-11-02T00:00:00Z') + h * HOUR_MS).toISOString(),
        ),
      );
    }
    expect(runs.every((run) => run.rowCount === 20 && !run.failed)).toBe(true);
  });

  test('a config change made through the store is used from the next window, without a deploy', async () => {
    const changed = models[0]!;
    await world.models.admin.put({
      input: { ...changed, schedules: { ...changed.schedules, data: 'rate(30 minutes)' } },
      source: 'test',
      expectedVersion: 1,
      principal: 'arn:aws:iam::000000000000:user/operator',
    });
    const before = dataRuns(world, changed.name).length;
    const untouched = dataRuns(world, models[1]!.name).length;
    await world.advanceTo(new Date(START.getTime() + (HOURS + 1) * HOUR_MS));
    const after = dataRuns(world, changed.name).slice(before);
    // changed at 06:15: its half-hour windows 06:00-06:30 and 06:30-07:00 are due at 06:40 and 07:10
    expect(after.map((run) => run.windowStart.toISOString())).toEqual([
      '2026-11-02T06:00:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // the others keep their hour: 06:00-07:00, due at 07:10
    expect(dataRuns(world, models[1]!.name).length - untouched).toBe(1);
  });
});
