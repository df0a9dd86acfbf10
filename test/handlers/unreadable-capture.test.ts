import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Notification, Notifier } from '../../functions/adapters/notifier.ts';
import { captureVariantPrefix, profileKey, QUARANTINE_ROOT } from '../../functions/adapters/s3-layout.ts';
import { makeSnsNotifier } from '../../functions/adapters/sns/sns-notifier.ts';
import { makeAlertRouterHandler } from '../../functions/alert-router/alert-router.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { useMotoServer } from '../support/use-moto-server.ts';
import { type CaptureFault, writeFaultyObjects } from './support/capture-faults.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

const env = useHandlerEnvironment();
const moto = useMotoServer();
const model = seattleModel();
let rows2015: SeattleRow[] = [];

const dataJob = (now: string) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  const handler = makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events,
    metrics,
    now: () => new Date(now),
    logger: recordingLogger(),
  });
  return { handler, events, metrics, adapters };
};

const keysUnder = async (prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const info of env.adapters().store.list(prefix)) keys.push(info.key);
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
});

describe('misconfiguration guard: most of a window unreadable', () => {
  test.each<[string, string, CaptureFault, RegExp]>([
    [
      'a feature the config does not list',
      '10',
      'extra-request-field',
      /^7 of 8 capture objects have 5 request fields where the config lists 4 features: check the model's features/,
    ],
    [
      'capture without responses',
      '12',
      'no-response',
      /^7 of 8 capture objects hold records without a response \(captureData\.endpointOutput\) while the config lists 1 output/,
    ],
  ])(
    'rejects %s: nothing quarantined, a failed run naming the cause, and an alert sent',
    async (_name, hh, fault, cause) => {
      // Prepare: 7 of the hour's 8 objects carry the fault
      const hour = `${captureVariantPrefix('seattle', 'AllTraffic')}2026/03/01/${hh}/`;
      const keys = await writeFaultyObjects(env.adapters().store, hour, rows2015, [
        ...Array.from({ length: 7 }, () => fault),
        'none',
      ]);
      const { handler, events, metrics, adapters } = dataJob(`2026-03-01T${Number(hh) + 1}:00:30Z`);

      // Act
      const result = await handler(scheduleEvent(model, `2026-03-01T${Number(hh) + 1}:00:30Z`));

      // Assess: the run failed and says why; not one object moved, no hourly profile stored
      expect(result).toMatchObject({ status: 'failed', quarantined: 0, violations: 1, eventPublished: true });
      expect(await keysUnder(hour)).toEqual(keys);
      expect(await keysUnder(`${QUARANTINE_ROOT}${hour}`)).toEqual([]);
      expect(await adapters.store.exists(profileKey('seattle', `2026-03-01T${hh}:00:00Z`))).toBe(false);
      const run = await adapters.runs.getRun('seattle', 'data', `2026-03-01T${hh}:00:00Z`);
      expect(run?.status).toBe('failed');
      const error = run?.summary.error as { errorName: string; errorMessage: string };
      expect(error.errorName).toBe('UnreadableCaptureError');
      expect(error.errorMessage).toMatch(cause);
      expect(error.errorMessage).toContain('none was quarantined');
      expect(run?.summary).toMatchObject({ objects: 8, unreadable: 7 });
      expect(metrics.runs).toEqual([expect.objectContaining({ failed: true })]);

      // the event the router understands, delivered as its rule would, becomes an alert sent through SNS
      const [event] = events.events;
      expect(event?.detailType).toBe(DETAIL_TYPES.violationsDetected);
      const detail = event?.detail as unknown as MonitoringViolationsDetail;
      expect(detail.violations).toEqual([
        expect.objectContaining({
          constraintCheckType: 'capture_readability_check',
          description: expect.stringMatching(cause),
          value: 7 / 8,
          threshold: 0.5,
        }),
      ]);
      const sns = new SNSClient(moto.current.clientConfig);
      const topic = async (name: string) =>
        (await sns.send(new CreateTopicCommand({ Name: `${name}-${hh}` }))).TopicArn ?? '';
      const sent: Notification[] = [];
      const snsNotifier = makeSnsNotifier(sns, { logger: recordingLogger() });
      const notifier: Notifier = {
        notify: (notification) => {
          sent.push(notification);
          return snsNotifier.notify(notification);
        },
      };
      const routed = await makeAlertRouterHandler({
        configs: knownModelConfigs,
        alerts: adapters.alerts,
        runs: adapters.runs,
        notifier,
        events: new RecordingPublisher(),
        topics: {
          info: await topic('info'),
          warning: await topic('warning'),
          critical: await topic('critical'),
        },
        links: { region: 'us-east-1', dashboardPrefix: 'ModelCare' },
        now: () => new Date(`2026-03-01T${Number(hh) + 1}:01:00Z`),
        logger: recordingLogger(),
      })({
        model: nameOf(model),
        trigger: {
          id: `evt-${hh}`,
          source: 'model-care',
          detailType: event?.detailType,
          time: `2026-03-01T${Number(hh) + 1}:00:31Z`,
          detail: event?.detail,
        },
      });
      expect(routed).toMatchObject({ outcome: 'notified', severity: 'warning' });
      expect(routed.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.topicArn).toContain(`warning-${hh}`);
      expect(sent[0]?.subject).toContain('unreadable capture');
      expect(sent[0]?.longText).toMatch(new RegExp(cause.source.slice(1)));
    },
  );

  test('at half the window unreadable the guard holds back: the bad half is quarantined as before', async () => {
    const hour = `${captureVariantPrefix('seattle', 'AllTraffic')}2026/03/01/14/`;
    const keys = await writeFaultyObjects(env.adapters().store, hour, rows2015, [
      'extra-request-field',
      'none',
      'extra-request-field',
      'none',
    ]);
    const result = await dataJob('2026-03-01T15:00:30Z').handler(
      scheduleEvent(model, '2026-03-01T15:00:30Z'),
    );
    expect(result).toMatchObject({ rows: 40, quarantined: 2 });
    expect(result.status).not.toBe('failed');
    expect(await keysUnder(`${QUARANTINE_ROOT}${hour}`)).toEqual(
      [keys[0], keys[2]]
        .flatMap((k) => [`${QUARANTINE_ROOT}${k}`, `${QUARANTINE_ROOT}${k}.reason.json`])
        .sort(),
    );
  });
});
