import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_FAN_OUT_THRESHOLD_BYTES } from '../../functions/shared/config/fan-out-settings.ts';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import { allStates, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf } from './support/template-queries.ts';

const variables = (
  stack: ReturnType<typeof synthConfig>,
  fn: { function: unknown },
): Record<string, unknown> => {
  const environment = stack.json.Resources[logicalIdOf(fn.function as never)]?.Properties?.Environment as
    | { Variables?: Record<string, unknown> }
    | undefined;
  return environment?.Variables ?? {};
};

const withFanOut = (fanOut: unknown): string => {
  const config = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
  config.fanOut = fanOut;
  const file = join(mkdtempSync(join(tmpdir(), 'model-care-fan-out-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
};

describe('fan-out settings come from config', () => {
  test("the data job's threshold and the reducer's tolerated share are the config's", () => {
    const stack = synthConfig(
      withFanOut({ thresholdBytes: 64 * 1024 * 1024, toleratedPartFailureShare: 0.2 }),
    );
    const jobs = stack.stack.care.jobs;
    expect(variables(stack, jobs.functions.data)[ENVIRONMENT.fanOutThresholdBytes.key]).toBe(
      String(64 * 1024 * 1024),
    );
    expect(
      variables(stack, jobs.fanOut.functions.reduce)[ENVIRONMENT.fanOutToleratedPartFailureShare.key],
    ).toBe('0.2');
  });

  test('without a fanOut section the defaults are set, not left to the handlers', () => {
    const stack = synthConfig('config/model-care.json');
    const jobs = stack.stack.care.jobs;
    expect(variables(stack, jobs.functions.data)[ENVIRONMENT.fanOutThresholdBytes.key]).toBe(
      String(DEFAULT_FAN_OUT_THRESHOLD_BYTES),
    );
    expect(
      variables(stack, jobs.fanOut.functions.reduce)[ENVIRONMENT.fanOutToleratedPartFailureShare.key],
    ).toBe('0.05');
  });

  test('every step that can fail is caught: workers inside the Map, plan, Map and reduce by RecordFailure', () => {
    const { json, stack } = synthConfig('config/model-care.json');
    const { definition } = resolveStateMachine(json, logicalIdOf(stack.care.jobs.fanOut.stateMachine));
    const states = allStates(definition) as Record<
      string,
      { Catch?: { Next: string; ResultPath: string }[] }
    >;
    for (const name of ['Plan', 'ProfileParts', 'Reduce'])
      expect(states[name]?.Catch).toEqual([
        expect.objectContaining({ Next: 'RecordFailure', ResultPath: '$.failure' }),
      ]);
    const processor = (states.ProfileParts as { ItemProcessor: { States: typeof states } }).ItemProcessor;
    expect(processor.States.ProfilePart?.Catch).toEqual([expect.objectContaining({ Next: 'PartFailed' })]);
    expect((states.RecordFailure as { Next?: string }).Next).toBe('FanOutFailed');
  });
});
