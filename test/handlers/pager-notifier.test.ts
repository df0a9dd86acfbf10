import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, test } from 'vitest';
import { makeHttpsPoster } from '../../functions/adapters/https/https-poster.ts';
import { makeSecretsManagerReader } from '../../functions/adapters/secrets/secret-reader.ts';
import { publishInput } from '../../functions/adapters/sns/sns-notifier.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import {
  makePagerNotifierHandler,
  PagingDeliveryError,
} from '../../functions/pager-notifier/pager-notifier.ts';
import type { PagingRoute } from '../../functions/shared/paging-routes.ts';
import { useHttpsStandIn } from '../support/https-stand-in.ts';
import { useMotoServer } from '../support/use-moto-server.ts';
import { recordingLogger } from './support/fakes.ts';

/**
 * The pager notifier on real parts: the keys in Secrets Manager (moto), the paging services' HTTPS endpoints a
 * node https server with a self-signed certificate that the notifier trusts as a CA (and only then).
 */
const moto = useMotoServer();
const standIn = useHttpsStandIn();

const CRITICAL_TOPIC = 'arn:aws:sns:us-east-1:123456789012:care-critical';
const WARNING_TOPIC = 'arn:aws:sns:us-east-1:123456789012:care-warning';
const PAGERDUTY_KEY = 'pd-routing-key-0123456789abcdef';
const OPSGENIE_KEY = 'og-api-key-fedcba9876543210';
let secrets: { pagerDuty: string; opsgenie: string };

beforeEach(async () => {
  await moto.current.reset();
  const client = new SecretsManagerClient(moto.current.clientConfig);
  const create = async (name: string, value: string) =>
    (await client.send(new CreateSecretCommand({ Name: name, SecretString: value }))).ARN ?? '';
  secrets = {
    pagerDuty: await create('care/pagerduty', PAGERDUTY_KEY),
    opsgenie: await create('care/opsgenie', OPSGENIE_KEY),
  };
});

const routes = (): PagingRoute[] => [
  {
    topicArn: CRITICAL_TOPIC,
    severity: 'critical',
    targets: [
      { service: 'pagerduty', url: `${standIn.current.origin}/v2/enqueue`, secretId: secrets.pagerDuty },
      { service: 'opsgenie', url: `${standIn.current.origin}/v2/alerts`, secretId: secrets.opsgenie },
    ],
  },
];

const notifier = (options: { trust?: boolean } = {}) => {
  const logger = recordingLogger();
  const handler = makePagerNotifierHandler({
    routes: routes(),
    secrets: makeSecretsManagerReader(new SecretsManagerClient(moto.current.clientConfig)),
    https: makeHttpsPoster(options.trust === false ? {} : { ca: standIn.current.certificate }),
    logger,
  });
  return { handler, logger };
};

const snsEvent = (message: string, topicArn = CRITICAL_TOPIC, subject: string | null = null) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      Sns: { MessageId: 'msg-1', TopicArn: topicArn, Subject: subject, Message: message },
    },
  ],
});

/** what SNS delivers to a Lambda subscriber of the router's message: its `lambda` rendering */
const routerMessage = (): string => {
  const input = publishInput({
    topicArn: CRITICAL_TOPIC,
    subject: '[CRITICAL] churn: tenure drift 0.41>0.1',
    longText: 'the whole e-mail',
    shortText: 'CRITICAL churn data: tenure up 1.2sd https://example.com/page',
    severity: 'critical',
    model: 'churn',
    check: 'baseline_drift_check',
    alertId: 'churn/data/2026-11-23T10:00:00.000Z',
    link: 'https://example.com/page',
  });
  return (JSON.parse(input.Message) as { lambda: string }).lambda;
};

const alarm = (state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA') =>
  JSON.stringify({
    AlarmName: 'care-churn-capture-errors',
    AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:care-churn-capture-errors',
    NewStateValue: state,
    NewStateReason: 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).',
    Region: 'us-east-1',
  });

const bodies = () =>
  standIn.current.received.map((r) => ({
    path: r.path,
    body: JSON.parse(r.body) as Record<string, unknown>,
  }));

describe('pager notifier', () => {
  test("turns a router alert into a PagerDuty and an Opsgenie event keyed by the alert id, with each service's key", async () => {
    // Act
    const deliveries = await notifier().handler(snsEvent(routerMessage()));

    // Assess
    expect(deliveries.map((d) => [d.service, d.outcome, d.status])).toEqual([
      ['pagerduty', 'sent', 202],
      ['opsgenie', 'sent', 202],
    ]);
    const [pagerDuty, opsgenie] = standIn.current.received;
    expect(pagerDuty?.path).toBe('/v2/enqueue');
    expect(JSON.parse(pagerDuty?.body ?? '')).toEqual({
      routing_key: PAGERDUTY_KEY,
      event_action: 'trigger',
      dedup_key: 'churn/data/2026-11-23T10:00:00.000Z',
      payload: {
        summary: '[CRITICAL] churn: tenure drift 0.41>0.1',
        source: 'model-care/churn',
        severity: 'critical',
        component: 'churn',
        group: 'baseline_drift_check',
        class: 'baseline_drift_check',
      },
      links: [{ href: 'https://example.com/page', text: 'model-care page' }],
    });
    expect(opsgenie?.path).toBe('/v2/alerts');
    expect(opsgenie?.headers.authorization).toBe(`GenieKey ${OPSGENIE_KEY}`);
    expect(JSON.parse(opsgenie?.body ?? '')).toMatchObject({
      alias: 'churn/data/2026-11-23T10:00:00.000Z',
      priority: 'P1',
      entity: 'churn',
      message: '[CRITICAL] churn: tenure drift 0.41>0.1',
    });
  });

  test('opens a page when an alarm fires and resolves the same page when it clears', async () => {
    const { handler } = notifier();

    await handler(snsEvent(alarm('ALARM')));
    await handler(snsEvent(alarm('OK')));

    const [pdOpen, ogOpen, pdClose, ogClose] = bodies();
    const key = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:care-churn-capture-errors';
    expect(pdOpen?.body).toMatchObject({ event_action: 'trigger', dedup_key: key });
    expect(ogOpen?.body).toMatchObject({ alias: key });
    expect(pdClose?.body).toEqual({ routing_key: PAGERDUTY_KEY, event_action: 'resolve', dedup_key: key });
    expect(ogClose?.path).toBe(`/v2/alerts/${encodeURIComponent(key)}/close?identifierType=alias`);
  });

  test('sends nothing for an alarm going to INSUFFICIENT_DATA or a topic without paging', async () => {
    const { handler } = notifier();

    await handler(snsEvent(alarm('INSUFFICIENT_DATA')));
    await handler(snsEvent(routerMessage(), WARNING_TOPIC));

    expect(standIn.current.received).toEqual([]);
  });

  test('pages other messages on the topic (an approval request) keyed by their message id', async () => {
    await notifier().handler(
      snsEvent('Retraining of churn waits for approval.', CRITICAL_TOPIC, 'churn: approve v4?'),
    );

    expect(bodies()[0]?.body).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'msg-1',
      payload: { summary: 'churn: approve v4?', severity: 'critical' },
    });
  });

  test('fails the invocation after trying every service when one answers 5xx, so Lambda retries it', async () => {
    standIn.current.statuses.push(503, 202);

    const error = await notifier()
      .handler(snsEvent(routerMessage()))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PagingDeliveryError);
    expect((error as Error).message).toContain('pagerduty trigger churn/data/2026-11-23T10:00:00.000Z');
    // Opsgenie was still paged
    expect(standIn.current.received).toHaveLength(2);
  });

  test('logs a 4xx refusal without the key and does not retry it', async () => {
    standIn.current.statuses.push(400, 202);
    const { handler, logger } = notifier();

    const deliveries = await handler(snsEvent(routerMessage()));

    expect(deliveries[0]).toMatchObject({ service: 'pagerduty', outcome: 'refused', status: 400 });
    expect(logger.lines.some((l) => l.level === 'error' && l.message === 'page refused by the service')).toBe(
      true,
    );
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(PAGERDUTY_KEY);
    expect(logged).not.toContain(OPSGENIE_KEY);
  });

  test('rejects a service whose certificate it does not trust: nothing is sent, the invocation fails to be retried', async () => {
    const { handler, logger } = notifier({ trust: false });

    await expect(handler(snsEvent(routerMessage()))).rejects.toThrow(PagingDeliveryError);

    expect(standIn.current.received).toEqual([]);
    expect(JSON.stringify(logger.lines)).not.toContain(PAGERDUTY_KEY);
  });

  test('rejects a plain http URL before sending anything', async () => {
    await expect(
      makeHttpsPoster().post(standIn.current.origin.replace('https:', 'http:'), {}, '{}'),
    ).rejects.toThrow(/is not https/);
  });

  test('rejects an event that is not an SNS delivery, naming the field', async () => {
    await expect(notifier().handler({ Records: [{ Sns: { TopicArn: CRITICAL_TOPIC } }] })).rejects.toThrow(
      InvalidEventError,
    );
    await expect(notifier().handler({ Records: [{ Sns: { TopicArn: CRITICAL_TOPIC } }] })).rejects.toThrow(
      /Records\[0\]\.Sns\.MessageId/,
    );
  });
});
