import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { captureVariantPrefix } from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { knownModelConfigs } from '../support/known-model-configs.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

/** Issue 17, section 2: the data job reads nested JSON payloads through the model's paths and leaves test traffic out. */

const env = useHandlerEnvironment();
let rows2015: SeattleRow[] = [];

interface StoredReport {
  dataset: { rowsCurrent: number; malformedRecords?: number };
  malformedSamples: string[];
}

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  await env
    .adapters()
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
});

/** a capture line as an endpoint serving nested JSON writes it */
const jsonLine = (r: SeattleRow, attributes?: string, features = 'features'): string =>
  `${JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'application/json',
        mode: 'INPUT',
        data: JSON.stringify({
          request: { [features]: [r.precipitation, r.temp_max, r.temp_min, r.wind].map(Number) },
        }),
        encoding: 'JSON',
      },
      endpointOutput: {
        observedContentType: 'application/json',
        mode: 'OUTPUT',
        data: JSON.stringify({ result: { label: r.weather, version: 3 } }),
        encoding: 'JSON',
      },
    },
    eventMetadata: {
      eventId: randomUUID(),
      inferenceTime: '2026-04-01T10:10:00Z',
      ...(attributes === undefined ? {} : { customAttributes: attributes }),
    },
    eventVersion: '0',
  })}\n`;

describe('a model with payload paths and an exclude rule', () => {
  const model: ModelConfig = seattleModel({
    name: 'seattle-json',
    payload: {
      inputsPath: 'request.features',
      outputsPath: 'result.label',
      exclude: [{ attribute: 'traffic', values: ['synthetic'] }],
    },
  });

  test('profiles the nested values, leaves synthetic traffic out, and lists a record whose path matches nothing', async () => {
    // Prepare
    const adapters = env.adapters();
    await makeBaselineJobHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      storeFor: adapters.storeFor,
      registry: adapters.registry,
      runs: adapters.runs,
      metrics: new RecordingMetrics(),
      now: () => new Date('2026-04-01T00:00:05Z'),
      logger: recordingLogger(),
    })(scheduleEvent(model, '2026-04-01T00:00:00Z'));
    const real = rows2015.slice(0, 50);
    const lines = [
      ...real.map((r) => jsonLine(r, 'traffic=live,region=eu')),
      ...rows2015.slice(50, 60).map((r) => jsonLine(r, 'traffic=synthetic')),
      jsonLine(rows2015[60]!, undefined, 'renamed'),
    ];
    const hour = `${captureVariantPrefix('seattle-json', 'AllTraffic')}2026/04/01/10/`;
    await adapters.store.put(
      `${hour}10-00-000-${randomUUID()}.jsonl`,
      lines.join(''),
      'application/jsonlines',
    );
    const handler = makeDataJobHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      runs: adapters.runs,
      series: adapters.series,
      events: new RecordingPublisher(),
      metrics: new RecordingMetrics(),
      now: () => new Date('2026-04-01T11:00:30Z'),
      logger: recordingLogger(),
    });

    // Act
    const result = await handler(scheduleEvent(model, '2026-04-01T11:00:30Z'));

    // Assess
    expect(result.status).not.toBe('failed');
    expect(result.rows).toBe(50);
    const report = (await adapters.store.getJson(
      'reports/seattle-json/data/2026-04-01T10:00:00Z/report.json',
    )) as StoredReport;
    expect(report.dataset.rowsCurrent).toBe(50);
    expect(report.malformedSamples).toEqual([
      expect.stringMatching(
        /\.jsonl:61 field "captureData\.endpointInput\.data": path "request\.features" matches nothing$/,
      ),
    ]);
  });
});
