import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalWorld } from '../../local/runtime/local-world.ts';
import { fleetModel, sendRecords, startFleetWorld } from './fleet-twin-world.ts';

const START = new Date('2026-11-02T00:15:00Z');
const OUT = join('out', 'test-wide-model-twin');

// Issue 16: a model of 1,000 features, which no longer travels in any event, end to end on the emulators:
// capture through the API, the dispatcher's Window Due, the data job, the violations event, the alert router.
describe('a model with 1,000 features in the local twin', () => {
  const model = fleetModel('wide', 1000);
  let world: LocalWorld;

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    ({ world } = await startFleetWorld(OUT, [model], START));
    await world.advanceTo(new Date('2026-11-02T00:30:00Z'));
    // every feature moved far outside its baseline range
    await sendRecords(world, model, 200, 5);
    await world.advanceTo(new Date('2026-11-02T01:15:00Z'));
  }, 600_000);
  afterAll(async () => {
    await world?.stop();
  });

  test('the window is judged with all its records and every feature drifted', () => {
    const runs = world.runMetrics.runs.filter((run) => run.job === 'data' && run.model === 'wide');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ model: 'wide', rowCount: 200, failed: false });
    expect(runs[0]!.features?.filter((f) => f.drifted)).toHaveLength(1000);
    expect(world.dispatchErrors).toEqual([]);
  });

  test('the drift reaches people as an alert through the router', () => {
    const alerts = world.notifier.delivered.filter((alert) => alert.model === 'wide');
    expect(alerts.length).toBeGreaterThan(0);
    // the router sends one alert per check it claims; values far outside the baseline trip its range check
    expect(alerts.map((alert) => alert.check)).toContain('value_range_check');
  });
});
