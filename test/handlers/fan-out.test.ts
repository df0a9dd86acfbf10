import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import '../../local/step-functions/promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, expect, test } from 'vitest';
import { captureVariantPrefix } from '../../functions/adapters/s3-layout.ts';
import type { StartRequest, WorkflowStarter } from '../../functions/adapters/workflow-starter.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { makeFanOutPlanHandler } from '../../functions/data-job/fan-out/plan.ts';
import { makeProfilePartHandler } from '../../functions/data-job/fan-out/profile-part.ts';
import { makeFanOutReduceHandler } from '../../functions/data-job/fan-out/reduce.ts';
import { profileObjects } from '../../functions/data-job/profile-objects.ts';
import { captureSchema } from '../../functions/data-job/window-profile.ts';
import { DatasetProfile, type DatasetProfileJson } from '../../functions/engine/profile/dataset-profile.ts';
import { ExactSum } from '../../functions/engine/profile/exact-sum.ts';
import { mergeProfileParts, type ProfilePartJson } from '../../functions/engine/profile/profile-parts.ts';
import { KllSketch } from '../../functions/engine/sketch/kll-sketch.ts';
import { listWindowCapture } from '../../functions/handler-kit/capture-objects.ts';
import { captureLocation } from '../../functions/shared/config/model-settings.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from '../lib/support/synth-stack.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

const env = useHandlerEnvironment();
const model = seattleModel();
const window = { start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' };
const now = () => new Date('2026-03-01T11:00:30Z');

const line = (r: SeattleRow) =>
  `${JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'text/csv',
        mode: 'INPUT',
        data: [r.precipitation, r.temp_max, r.temp_min, r.wind].join(','),
        encoding: 'CSV',
      },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: r.weather, encoding: 'CSV' },
    },
    eventMetadata: { eventId: randomUUID(), inferenceTime: '2026-03-01T10:05:00Z' },
    eventVersion: '0',
  })}\n`;

const jobDeps = () => {
  const adapters = env.adapters();
  return {
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    now,
    logger: recordingLogger(),
  };
};

beforeAll(async () => {
  const rows = await seattleRows();
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
  const rows2015 = rows.filter((r) => r.date.startsWith('2015'));

  const prefix = captureLocation(model);
  const base = `${captureVariantPrefix(prefix.endpointName, prefix.variantName)}2026/03/01/10/`;
  await adapters.store.put(
    `${base}05-00-000-a.jsonl`,
    rows2015.slice(0, 150).map(line).join(''),
    'application/jsonlines',
  );
  await adapters.store.put(
    `${base}15-00-000-b.jsonl`,
    gzipSync(rows2015.slice(150, 250).map(line).join('')),
    'application/jsonlines',
  );
  await adapters.store.put(
    `${base}25-00-000-c.jsonl`,
    `${rows2015.slice(250, 365).map(line).join('')}{"broken\n`,
    'application/jsonlines',
  );
});

const parseProfile = (json: unknown) => DatasetProfile.fromJSON(json as DatasetProfileJson);

// it synthesizes the whole app first: about 25 s of CPU, over 60 s of wall time on a shared 2-core machine
test('above the threshold the data job fans out; the fan-out gives the single-pass profile, report and run', async () => {
  const { json } = synthConfig('config/model-care.json');
  const id = Object.keys(json.Resources).find(
    (k) => k.includes('WindowFanOut') && json.Resources[k]?.Type === 'AWS::StepFunctions::StateMachine',
  )!;
  const { definition } = resolveStateMachine(json, id);
  const event = scheduleEvent(model, '2026-03-01T11:00:00Z', { window });
  const deps = jobDeps();

  // the data job sees more capture bytes than its threshold: it starts the fan-out instead of profiling
  const requests: StartRequest[] = [];
  const starter: WorkflowStarter = {
    start: async (request) => {
      requests.push(request);
      return { executionArn: `arn:aws:states:::execution:fan-out:${request.name}`, alreadyStarted: false };
    },
  };
  const fanOut = {
    starter,
    stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:fan-out',
    thresholdBytes: 1000,
  };
  const handed = await makeDataJobHandler({ ...jobDeps(), fanOut })(event);
  expect(handed.status).toBe('fanned-out');
  expect(requests).toHaveLength(1);
  expect(await deps.runs.getRun(model.name, 'data', window.start)).toBeUndefined();

  // the reducer deletes the parts once done: keep what each worker wrote, to compare with the single pass
  const partJsons: ProfilePartJson[] = [];
  const profilePart = makeProfilePartHandler({
    configs: knownModelConfigs,
    store: deps.store,
    logger: deps.logger,
  });
  const reduce = makeFanOutReduceHandler(deps);
  const handlers = {
    Plan: makeFanOutPlanHandler({
      configs: knownModelConfigs,
      store: deps.store,
      logger: deps.logger,
      maxBytesPerPart: 20_000,
    }),
    ProfilePart: async (input: unknown) => {
      const written = await profilePart(input);
      partJsons.push((await deps.store.getJson(written.key)) as ProfilePartJson);
      return written;
    },
    Reduce: reduce,
    RecordFailure: reduce,
  };
  const plan = await handlers.Plan(requests[0]!.input);
  // the gzip object whole, the two plain ones in several byte ranges each
  expect(plan.parts.filter((p) => p.range === undefined).map((p) => p.key.slice(-14))).toEqual([
    '15-00-000-b.jsonl'.slice(-14),
  ]);
  expect(plan.parts.filter((p) => p.range).length).toBeGreaterThan(4);

  // biome-ignore lint/suspicious/noExplicitAny: aws-local-stepfunctions types JSON loosely
  const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
  const fanned = await machine.run(requests[0]!.input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never },
  }).result;

  const reportOf = async (): Promise<Record<string, unknown>> => {
    for await (const o of deps.store.list(`reports/${model.name}/data/`))
      if (o.key.endsWith('report.json')) return (await deps.store.getJson(o.key)) as Record<string, unknown>;
    throw new Error('no report');
  };
  const fanReport = await reportOf();
  const fanRun = await deps.runs.getRun(model.name, 'data', window.start);
  expect(partJsons).toHaveLength(plan.parts.length);
  const left: string[] = [];
  for await (const o of deps.store.list(`profiles/${model.name}/parts/`)) left.push(o.key);
  expect(left).toEqual([]);
  const merged = mergeProfileParts(partJsons).profile;

  // the single pass, over the same objects, as the data job reads them
  const objects = await listWindowCapture(deps.store, captureLocation(model), {
    start: new Date(window.start),
    end: new Date(window.end),
  });
  const onePass = (
    await profileObjects({ store: deps.store, objects, schema: captureSchema(model), logger: deps.logger })
  ).profile!;
  expect(merged.rows).toBe(onePass.rows);
  expect(merged.malformed).toBe(onePass.malformed);
  expect(merged.columns).toEqual(onePass.columns);
  const mergedJson = parseProfile(merged.toJSON()).toJSON();
  const onePassJson = onePass.toJSON();
  mergedJson.features.forEach((f, i) => {
    const g = onePassJson.features[i]!;
    expect(f.name).toBe(g.name);
    expect([f.present, f.missing, f.kinds]).toEqual([g.present, g.missing, g.kinds]);
    expect(f.numeric.count).toBe(g.numeric.count);
    expect([f.numeric.min, f.numeric.max]).toEqual([g.numeric.min, g.numeric.max]);
    // the exact sum's partials depend on the order of adding; its value does not
    expect(ExactSum.fromJSON(f.numeric.sum).value()).toBe(ExactSum.fromJSON(g.numeric.sum).value());
    // the exact sum over the exact count: the same mean; the streaming mean agrees to rounding
    expect(f.numeric.mean).toBeCloseTo(g.numeric.mean, 12);
    expect(f.categories).toEqual(g.categories);
    // quantiles: each merged quantile sits within a rank error of 0.02 (KLL at k = 2048 stays under 0.003) of the one-pass ranks
    const fromMerged = KllSketch.fromJSON(f.numeric.sketch);
    const fromOne = KllSketch.fromJSON(g.numeric.sketch);
    if (fromOne.n > 0) {
      for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
        // rank() counts values <= x; with ties (many days without rain) q lies between the value's ranks
        const v = fromMerged.quantile(q);
        const below = fromOne.rank(v - 1e-9 * Math.max(1, Math.abs(v)));
        expect(q).toBeGreaterThanOrEqual(below - 0.02);
        expect(q).toBeLessThanOrEqual(fromOne.rank(v) + 0.02);
      }
    }
  });

  // below the threshold (the default one), the data job profiles the window itself: the same results
  const single = await makeDataJobHandler(jobDeps())(event);
  expect(single.status).not.toBe('fanned-out');
  expect(single.rows).toBeGreaterThan(300);
  const singleReport = await reportOf();
  const singleRun = await deps.runs.getRun(model.name, 'data', window.start);
  expect({ ...(fanned as object), reportUri: null }).toEqual({ ...single, reportUri: null });
  const strip = (r: Record<string, unknown>) => ({ ...r, run: undefined, generatedAt: undefined });
  expect(strip(fanReport)).toEqual(strip(singleReport));
  const runPart = (r: Record<string, unknown>) => {
    const { startedAt: _s, generatedAt: _g, ...rest } = r.run as Record<string, unknown>;
    return rest;
  };
  expect(runPart(fanReport)).toEqual(runPart(singleReport));
  const record = (r: typeof fanRun) => ({ ...r, startedAt: undefined, finishedAt: undefined });
  expect(fanRun).toBeDefined();
  expect(record(fanRun)).toEqual(record(singleRun));
  // synthesizing the app takes most of a minute on a loaded 2-vCPU machine, as in the cfn-lint test
}, 240_000);
