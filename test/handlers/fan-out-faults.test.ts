import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import '../../local/step-functions/promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ObjectStore } from '../../functions/adapters/object-store.ts';
import {
  captureVariantPrefix,
  QUARANTINE_ROOT,
  reasonSidecarKey,
} from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { makeFanOutPlanHandler } from '../../functions/data-job/fan-out/plan.ts';
import { makeProfilePartHandler } from '../../functions/data-job/fan-out/profile-part.ts';
import { makeFanOutReduceHandler } from '../../functions/data-job/fan-out/reduce.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { type AslDefinition, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from '../lib/support/synth-stack.ts';
import { faultyLine, writeFaultyObjects } from './support/capture-faults.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

const env = useHandlerEnvironment();
const model = seattleModel();
const PREFIX = captureVariantPrefix('seattle', 'AllTraffic');
let rows2015: SeattleRow[] = [];
let definition: AslDefinition;

const jobDeps = (now: string) => {
  const adapters = env.adapters();
  return {
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    now: () => new Date(now),
    logger: recordingLogger(),
  };
};

type Handler = (input: unknown) => Promise<unknown>;

/**
 * Runs the fan-out state machine exactly as `lib/` synthesizes it, in aws-local-stepfunctions, with the real
 * handlers over s3rver and dynalite as its tasks (`overrides` replace some, to inject a worker's failure).
 */
const runFanOut = async (options: {
  readonly model: ModelConfig;
  readonly hour: string;
  readonly maxBytesPerPart?: number;
  readonly toleratedPartFailureShare?: number;
  readonly overrides?: Partial<Record<'Plan' | 'ProfilePart', Handler>>;
}) => {
  const start = `2026-03-01T${options.hour}:00:00Z`;
  const now = new Date(Date.parse(start) + 3_630_000).toISOString();
  const deps = jobDeps(now);
  const reduce = makeFanOutReduceHandler({
    ...deps,
    ...(options.toleratedPartFailureShare === undefined
      ? {}
      : { toleratedPartFailureShare: options.toleratedPartFailureShare }),
  });
  const handlers = {
    Plan: makeFanOutPlanHandler({
      configs: knownModelConfigs,
      store: deps.store,
      logger: deps.logger,
      maxBytesPerPart: options.maxBytesPerPart ?? 1_000_000,
    }),
    ProfilePart: makeProfilePartHandler({
      configs: knownModelConfigs,
      store: deps.store,
      logger: deps.logger,
    }),
    Reduce: reduce,
    RecordFailure: reduce,
    ...options.overrides,
  };
  const window = { start, end: new Date(Date.parse(start) + 3_600_000).toISOString().replace('.000', '') };
  const input = scheduleEvent(options.model, now, { window });
  // biome-ignore lint/suspicious/noExplicitAny: aws-local-stepfunctions types JSON loosely
  const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
  const execution = await machine
    .run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never } })
    .result.then(
      (output: unknown) => ({ status: 'SUCCEEDED' as const, output }),
      (error: unknown) => ({ status: 'FAILED' as const, error }),
    );
  const run = await deps.runs.getRun(options.model.name, 'data', start);
  const parts: string[] = [];
  for await (const o of deps.store.list(`profiles/${options.model.name}/parts/${start}/`)) parts.push(o.key);
  return { execution, run, parts, events: deps.events, store: deps.store };
};

const errorMessageOf = (run: { summary: Record<string, unknown> } | undefined): string | undefined =>
  (run?.summary.error as { errorMessage?: string } | undefined)?.errorMessage;

const keysUnder = async (store: ObjectStore, prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  return keys;
};

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  const adapters = env.adapters();
  await adapters
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
  await makeBaselineJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics: new RecordingMetrics(),
    now: () => new Date('2026-03-01T00:00:05Z'),
    logger: recordingLogger(),
  })({
    model: nameOf(model),
    trigger: {
      id: 'b1',
      source: 'model-care',
      detailType: DETAIL_TYPES.baselineRequested,
      time: '2026-03-01T00:00:00Z',
      detail: { model: model.name },
    },
  });
  const { json } = synthConfig('config/model-care.json');
  const id = Object.keys(json.Resources).find(
    (k) => k.includes('WindowFanOut') && json.Resources[k]?.Type === 'AWS::StepFunctions::StateMachine',
  )!;
  definition = resolveStateMachine(json, id).definition;
});

describe('fan-out faults end in a run record', () => {
  test('unreadable objects of a fanned-out window are quarantined and counted as the single pass does', async () => {
    // Prepare: the same six objects in two hours; a corrupt gzip, a plain object of malformed records, and one
    // whose first half is malformed
    const write = async (hh: string) => {
      const hour = `${PREFIX}2026/03/01/${hh}/`;
      const store = env.adapters().store;
      const keys = await writeFaultyObjects(store, hour, rows2015, ['none', 'none', 'none'], 40);
      const corrupt = `${hour}20-00-000-${randomUUID()}.jsonl`;
      await store.put(
        corrupt,
        gzipSync(
          rows2015
            .slice(0, 30)
            .map((r) => faultyLine(r))
            .join(''),
        ).subarray(0, 40),
        'application/jsonlines',
      );
      const garbage = `${hour}25-00-000-${randomUUID()}.jsonl`;
      await store.put(garbage, 'not json\n'.repeat(2_000), 'application/jsonlines');
      // readable, though its first ranges hold nothing but malformed records
      const halfBad = `${hour}30-00-000-${randomUUID()}.jsonl`;
      const good = rows2015.slice(200, 240).map((r) => faultyLine(r));
      await store.put(halfBad, `${'not json\n'.repeat(600)}${good.join('')}`, 'application/jsonlines');
      return { keys, corrupt, garbage };
    };
    const fanned = await write('10');
    await write('11');

    // Act: hour 10 through the state machine (plain objects split into ranges), hour 11 in one pass
    const out = await runFanOut({ model, hour: '10', maxBytesPerPart: 4_000 });
    const single = await makeDataJobHandler(jobDeps('2026-03-01T12:00:30Z'))(
      scheduleEvent(model, '2026-03-01T12:00:30Z'),
    );

    // Assess: the execution succeeded and recorded what the single pass records; the parts are gone
    expect(out.execution.status).toBe('SUCCEEDED');
    expect(out.run).toMatchObject({ status: single.status, rowCount: 160, quarantinedObjects: 2 });
    expect(out.run?.malformedCount).toBe(600);
    expect(single.malformed).toBe(600);
    expect(out.execution).toMatchObject({ output: { rows: single.rows, quarantined: single.quarantined } });
    expect(out.parts).toEqual([]);
    // the malformed records carry the same line numbers: a range without a record still counts its lines
    const samples = async (start: string) =>
      (
        (await out.store.getJson(`reports/seattle/data/${start}/report.json`)) as {
          malformedSamples: { line: number; reason: string }[];
        }
      ).malformedSamples.map(({ line, reason }) => ({ line, reason }));
    const fannedSamples = await samples('2026-03-01T10:00:00Z');
    expect(fannedSamples.length).toBeGreaterThan(10);
    expect(fannedSamples).toEqual(await samples('2026-03-01T11:00:00Z'));
    for (const key of [fanned.corrupt, fanned.garbage]) {
      expect(await out.store.exists(key)).toBe(false);
      expect(await out.store.exists(`${QUARANTINE_ROOT}${key}`)).toBe(true);
    }
    const reason = async (key: string) =>
      ((await out.store.getJson(reasonSidecarKey(`${QUARANTINE_ROOT}${key}`))) as { reason: string }).reason;
    expect(await reason(fanned.corrupt)).toContain('cannot gunzip');
    expect(await reason(fanned.garbage)).toMatch(/malformed record/);
  });

  test('failed workers: below the tolerated share their objects are left out and named, above it the run fails', async () => {
    const hour = `${PREFIX}2026/03/01/12/`;
    const keys = await writeFaultyObjects(env.adapters().store, hour, rows2015, [
      'none',
      'none',
      'none',
      'none',
    ]);
    // a worker that times out on the second object (the handler is real for every other part)
    const real = makeProfilePartHandler({
      configs: knownModelConfigs,
      store: env.adapters().store,
      logger: recordingLogger(),
    });
    const flaky: Handler = async (input) => {
      if ((input as { part: { key: string } }).part.key === keys[1]) {
        const error = new Error('Task timed out after 900.00 seconds');
        error.name = 'States.Timeout';
        throw error;
      }
      return real(input);
    };

    const tolerated = await runFanOut({
      model,
      hour: '12',
      toleratedPartFailureShare: 0.3,
      overrides: { ProfilePart: flaky },
    });
    expect(tolerated.execution.status).toBe('SUCCEEDED');
    expect(tolerated.run).toMatchObject({ status: expect.not.stringMatching('failed'), rowCount: 60 });
    expect(tolerated.run?.summary.leftOut).toEqual([
      { key: keys[1], reason: 'the worker of part 1 failed (States.Timeout); left out, not quarantined' },
    ]);
    expect(await tolerated.store.exists(keys[1]!)).toBe(true);
    expect(tolerated.parts).toEqual([]);

    const refused = await runFanOut({ model, hour: '12', overrides: { ProfilePart: flaky } });
    expect(refused.run?.status).toBe('failed');
    expect(errorMessageOf(refused.run)).toBe(
      '1 of 4 parts of the window failed in their workers (States.Timeout ×1), more than the 0.05 share ' +
        'fanOut.toleratedPartFailureShare allows',
    );
    expect(refused.parts).toEqual([]);
  });

  test('fails the execution after recording the run when a step fails (here the plan)', async () => {
    const out = await runFanOut({
      model,
      hour: '13',
      overrides: {
        Plan: async () => {
          throw new Error('S3 is down');
        },
      },
    });
    expect(out.execution.status).toBe('FAILED');
    expect(out.run?.status).toBe('failed');
    expect(errorMessageOf(out.run)).toBe('a step of the fan-out failed: Error: S3 is down');
  });

  test('rejects a fanned-out window that is mostly unreadable: nothing quarantined, a failed run, an alert', async () => {
    const hour = `${PREFIX}2026/03/01/14/`;
    const keys = await writeFaultyObjects(env.adapters().store, hour, rows2015, [
      ...Array.from({ length: 7 }, () => 'extra-request-field' as const),
      'none',
    ]);
    const out = await runFanOut({ model, hour: '14', maxBytesPerPart: 2_000 });
    expect(out.run?.status).toBe('failed');
    const cause =
      "7 of 8 capture objects have 5 request fields where the config lists 4 features: check the model's features";
    expect(errorMessageOf(out.run)).toContain(cause);
    expect(await keysUnder(out.store, hour)).toEqual(keys);
    expect(await keysUnder(out.store, `${QUARANTINE_ROOT}${hour}`)).toEqual([]);
    expect(out.parts).toEqual([]);
    const detail = out.events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations).toEqual([
      expect.objectContaining({ constraintCheckType: 'capture_readability_check', value: 7 / 8 }),
    ]);
  });
});
