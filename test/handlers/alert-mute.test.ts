import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { makeDynamoAlertBook } from '../../functions/adapters/dynamodb/dynamodb-alert-book.ts';
import { makeDynamoAlertStateRepository } from '../../functions/adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoRunRepository } from '../../functions/adapters/dynamodb/dynamodb-run-repository.ts';
import type { Notification, Notifier } from '../../functions/adapters/notifier.ts';
import { makeAdminApiHandler } from '../../functions/admin-api/admin-api.ts';
import { makeOnCallAdmin } from '../../functions/admin-api/on-call-admin.ts';
import { makeAlertRouterHandler } from '../../functions/alert-router/alert-router.ts';
import type { MonitoringViolation } from '../../functions/handler-kit/monitoring-violation.ts';
import { verifyChain } from '../../functions/shared/audit/audit-chain.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { functionUrlRequest } from '../support/function-url-event.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { RecordingPublisher, recordingLogger } from './support/fakes.ts';

/**
 * Acknowledge and mute end to end on dynalite: the admin API writes mutes and acknowledgements (and their audit
 * entries), the router honours the mutes and records every alert it handles. The notifier is a recording port:
 * what SNS does with a message is sns-notifier.test.ts's concern, here only whether one is sent.
 */
const world = useModelAdminWorld();
const ANA = 'arn:aws:sts::123456789012:assumed-role/on-call/ana';
const NOW = new Date('2026-07-01T09:00:10Z');
let stateTable = '';
let runsTable = '';
let tables = 0;
beforeEach(async () => {
  tables += 1;
  stateTable = `state-${tables}`;
  runsTable = `runs-${tables}`;
  await world.dynamo.createTable({ name: stateTable });
  await world.dynamo.createTable({ name: runsTable });
  await world.admin().put({ input: modelInput('churn'), source: 'body', principal: ANA });
});

const book = () => makeDynamoAlertBook(stateTable, world.dynamo.documentClient);

class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(notification: Notification) {
    this.sent.push(notification);
    return { messageId: `m-${this.sent.length}` };
  }
}

const router = (now = NOW) => {
  const notifier = new RecordingNotifier();
  const handler = makeAlertRouterHandler({
    configs: knownModelConfigs,
    alerts: makeDynamoAlertStateRepository(stateTable, world.dynamo.documentClient),
    runs: makeDynamoRunRepository(runsTable, world.dynamo.documentClient),
    notifier,
    events: new RecordingPublisher(),
    topics: { info: 'arn:info', warning: 'arn:warning', critical: 'arn:critical' },
    links: { region: 'eu-west-1', dashboardPrefix: 'ModelCare' },
    now: () => now,
    logger: recordingLogger(),
    book: book(),
  });
  return { handler, notifier };
};

const api = (maxMuteHours = 24, now = NOW) =>
  makeAdminApiHandler({
    admin: world.admin(),
    logger: recordingLogger(),
    onCall: makeOnCallAdmin({
      book: book(),
      audit: world.audit(),
      models: world.store(),
      maxMuteHours,
      now: () => now,
      logger: recordingLogger(),
    }),
  });
const post = async (path: string, body?: unknown, handler = api()) => {
  const result = await handler(
    functionUrlRequest('POST', path, {
      principal: ANA,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
};

const churn = parseModelConfig(modelInput('churn'));
const drift = (feature: string): MonitoringViolation => ({
  featureName: feature,
  constraintCheckType: 'baseline_drift_check',
  description: 'drift 0.35 exceeds 0.1',
  value: 0.35,
  threshold: 0.1,
});
const completeness: MonitoringViolation = {
  featureName: 'tenure_months',
  constraintCheckType: 'completeness_check',
  description: 'completeness 0.9 below 0.99',
  value: 0.9,
  threshold: 0.99,
};
const windowStart = '2026-07-01T08:00:00Z';
const ALERT_ID = `churn/data/${windowStart}`;
const violationsEvent = (violations: MonitoringViolation[]) => ({
  model: nameOf(churn),
  trigger: {
    id: randomUUID(),
    source: 'model-care',
    detailType: DETAIL_TYPES.violationsDetected,
    time: '2026-07-01T09:00:00Z',
    detail: {
      model: 'churn',
      job: 'data',
      runId: ALERT_ID,
      window: { start: windowStart, end: '2026-07-01T09:00:00Z' },
      violations,
      reportUri: `s3://bucket/reports/churn/data/${windowStart}/constraint_violations.json`,
      totalViolations: violations.length,
    },
  },
});
const auditActions = async () =>
  (await world.audit().readChain('churn')).flatMap((r) => ('entry' in r ? [r.entry.action] : []));

describe('mute', () => {
  test('a mute of every check holds the alert back and records it as suppressed, with the mute and its audit entry', async () => {
    // Prepare
    const muted = await post('/models/churn/mute', { minutes: 240, reason: 'feature store backfill' });

    // Act
    const result = await router().handler(violationsEvent([drift('tenure_months')]));

    // Assess
    expect(muted.status).toBe(200);
    expect(muted.body).toMatchObject({
      model: 'churn',
      check: '*',
      until: '2026-07-01T13:00:10.000Z',
      previousUntil: null,
    });
    expect(result.outcome).toBe('muted');
    const [held] = await book().suppressed('churn');
    expect(held).toMatchObject({ alertId: ALERT_ID, status: 'suppressed', checks: ['baseline_drift_check'] });
    expect(held?.mutedBy?.[0]).toContain('feature store backfill');
    const trail = await world.audit().readChain('churn');
    const last = trail.at(-1);
    expect(last && 'entry' in last ? last.entry : undefined).toMatchObject({
      action: 'alert.muted',
      principal: ANA,
      before: { check: '*', mutedUntil: null },
      after: { check: '*', mutedUntil: '2026-07-01T13:00:10.000Z' },
    });
    expect(verifyChain('churn', trail).ok).toBe(true);
  });

  test('a mute of one check lets the others through and says so in the e-mail, with how to acknowledge', async () => {
    await post('/models/churn/mute', { minutes: 60, check: 'baseline_drift_check', reason: 'known drift' });
    const { handler, notifier } = router();

    const result = await handler(violationsEvent([drift('tenure_months'), completeness]));

    expect(result).toMatchObject({ outcome: 'notified', checks: ['completeness_check'] });
    expect(notifier.sent[0]?.alertId).toBe(ALERT_ID);
    expect(notifier.sent[0]?.longText).toContain(`model-care alerts ack ${ALERT_ID} --stack <stack>`);
    expect(notifier.sent[0]?.longText).toContain('muted now, not in this alert: baseline_drift_check');
    expect(await book().getAlert(ALERT_ID)).toMatchObject({ status: 'sent', checks: ['completeness_check'] });
  });

  test('an ended mute is not honoured', async () => {
    await post('/models/churn/mute', { minutes: 30, reason: 'short' });
    const later = new Date(NOW.getTime() + 31 * 60_000);

    const result = await router(later).handler(violationsEvent([drift('tenure_months')]));

    expect(result.outcome).toBe('notified');
  });

  test.each([
    [
      { minutes: 25 * 60, reason: 'x' },
      'body.minutes: 1500 is longer than the longest mute allowed, 1440 (onCall.maxMuteHours 24)',
    ],
    [{ minutes: 60 }, 'body.reason: '],
    [{ minutes: 60, reason: 'x', check: 'drift' }, 'body.check: must be a check kind'],
    [{ minutes: 60, reason: 'x', colour: 'red' }, 'body: unknown field "colour"'],
  ])('rejects %j in one line, muting and recording nothing', async (body, message) => {
    const answer = await post('/models/churn/mute', body);

    expect(answer.status).toBe(400);
    expect(String(answer.body.error).startsWith(message)).toBe(true);
    expect(await book().activeMutes('churn', NOW)).toEqual([]);
    expect(await auditActions()).toEqual(['config.put']);
  });

  test('rejects a mute of an unknown model with 404, changing nothing', async () => {
    const answer = await post('/models/fraud/mute', { minutes: 60, reason: 'x' });

    expect(answer.status).toBe(404);
    expect(await book().activeMutes('fraud', NOW)).toEqual([]);
  });
});

describe('acknowledge', () => {
  test('an alert the router sent is acknowledged once, by its taker, and audited once', async () => {
    await router().handler(violationsEvent([drift('tenure_months')]));
    const path = `/alerts/${encodeURIComponent(ALERT_ID)}/ack`;

    const first = await post(path, { reason: 'looking at it' });
    const second = await post(path);

    expect(first).toMatchObject({
      status: 200,
      body: { alertId: ALERT_ID, already: false, acknowledged: { by: ANA, reason: 'looking at it' } },
    });
    expect(second.body).toMatchObject({ already: true, acknowledged: { by: ANA } });
    expect(await auditActions()).toEqual(['config.put', 'alert.acknowledged']);
  });

  test('rejects an unknown alert in one line with 404, writing nothing', async () => {
    const answer = await post(`/alerts/${encodeURIComponent('churn/data/2026-01-01T00:00:00Z')}/ack`);

    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe(
      'no alert "churn/data/2026-01-01T00:00:00Z": check the id in the alert message (model/job/window start)',
    );
    expect(await book().getAlert('churn/data/2026-01-01T00:00:00Z')).toBeUndefined();
    expect(await auditActions()).toEqual(['config.put']);
  });

  test('rejects an id that is no alert id with 400', async () => {
    const answer = await post('/alerts/nonsense/ack');
    expect(answer.status).toBe(400);
    expect(String(answer.body.error)).toContain('alert id');
  });
});
