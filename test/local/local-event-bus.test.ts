import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../local/events/event-pattern.ts';
import { LocalEventBus, rulesOf } from '../../local/events/local-event-bus.ts';
import { synthesizeLocalStack } from '../../local/runtime/local-stack.ts';

describe('matchesPattern', () => {
  const pattern = {
    source: ['model-care'],
    'detail-type': ['Monitoring Violations Detected'],
    detail: { model: ['seattle-rain'], object: { key: [{ prefix: 'ground-truth/seattle-rain/' }] } },
  };

  it.each([
    [{ model: 'seattle-rain', object: { key: 'ground-truth/seattle-rain/2026/11/23/10/a.jsonl' } }, true],
    [{ model: 'churn', object: { key: 'ground-truth/seattle-rain/x' } }, false],
    [{ model: 'seattle-rain', object: { key: 'capture/seattle-rain/x' } }, false],
    [{ model: ['other', 'seattle-rain'], object: { key: 'ground-truth/seattle-rain/x' } }, true],
    [{ model: 'seattle-rain' }, false],
  ])('matches detail %j: %s', (detail, expected) => {
    const event = { source: 'model-care', 'detail-type': 'Monitoring Violations Detected', detail };
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it.each([
    [{ model: 'm1', job: 'data' }, true],
    [{ model: 'm1', job: 'quality' }, false],
    [{ job: 'data' }, false],
  ])('honours exists: detail %j matches Window Due job=data: %s', (detail, expected) => {
    const windowDue = { detail: { model: [{ exists: true }], job: ['data'] } };
    expect(matchesPattern(windowDue, { detail })).toBe(expected);
  });

  it('rejects an operator it cannot honour instead of ignoring it', () => {
    expect(() =>
      matchesPattern({ detail: { size: [{ numeric: ['>', 1] } as never] } }, { detail: { size: 3 } }),
    ).toThrow(/unsupported event pattern operator/);
  });
});

describe('LocalEventBus on the synthesized template', () => {
  const stack = synthesizeLocalStack('config/local.json');
  const bucketName = 'local-bucket';
  const resolve = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (_key, v) =>
      v && typeof v === 'object' && v.Ref === stack.ids.bucket ? bucketName : v,
    );
  const rules = rulesOf(stack.template, resolve);

  const busWith = () => {
    const calls: Array<{ target: string; input: Record<string, unknown> }> = [];
    const bus = new LocalEventBus(
      rules,
      async (target, input) => {
        calls.push({ target, input: input as Record<string, unknown> });
      },
      () => new Date('2026-11-23T10:00:00Z'),
      (error) => {
        throw error;
      },
    );
    return { bus, calls };
  };

  it('delivers a violations event to the alert router with the model name, as the rule would', async () => {
    const { bus, calls } = busWith();
    await bus.publish([
      { detailType: 'Monitoring Violations Detected', detail: { model: 'seattle-rain', job: 'data' } },
    ]);
    await bus.drain();
    expect(calls.map((c) => c.target)).toEqual([stack.ids.functions.alertRouter]);
    const input = calls[0]!.input as {
      model: string;
      trigger: { detailType: string; detail: unknown };
    };
    expect(input.model).toBe('seattle-rain');
    expect(input.trigger.detailType).toBe('Monitoring Violations Detected');
    expect(input.trigger.detail).toEqual({ model: 'seattle-rain', job: 'data' });
  });

  it('routes every retraining request to the one state machine: the model is in the event', async () => {
    const { bus, calls } = busWith();
    await bus.publish([
      { detailType: 'Retraining Requested', detail: { model: 'seattle-rain', reason: 'drift' } },
      { detailType: 'Retraining Requested', detail: { model: 'someone-else', reason: 'drift' } },
    ]);
    await bus.drain();
    expect(calls.map((c) => c.target)).toEqual([
      stack.ids.retrainingStateMachine,
      stack.ids.retrainingStateMachine,
    ]);
    expect(
      calls.map((c) => (c.input as { trigger: { detail: { model: string } } }).trigger.detail.model),
    ).toEqual(['seattle-rain', 'someone-else']);
  });

  it('sends ground-truth objects to ingest, capture objects to late capture, and a tick only to the dispatcher', async () => {
    const { bus, calls } = busWith();
    bus.objectCreated(bucketName, 'ground-truth/seattle-rain/2026/11/23/10/labels.jsonl', 120);
    bus.objectCreated(bucketName, 'capture/seattle-rain/AllTraffic/2026/11/23/10/x.jsonl', 120);
    expect(bus.schedules()).toEqual(['rate(5 minutes)']);
    bus.tick(new Date('2026-11-23T11:10:00Z'));
    await bus.drain();
    expect(calls.map((c) => c.target).sort()).toEqual(
      [
        stack.ids.functions.groundTruth,
        // a capture object may land in a window already judged (issue 10.3)
        stack.ids.functions.lateCapture,
        stack.ids.functions.dispatcher,
      ].sort(),
    );
    const tick = calls.find((c) => c.target === stack.ids.functions.dispatcher)!.input as {
      trigger: { time: string };
    };
    expect(tick.trigger.time).toBe('2026-11-23T11:10:00Z');
  });

  it('sends a Window Due of job=data to the data job, naming the model', async () => {
    const { bus, calls } = busWith();
    const detail = {
      model: 'seattle-rain',
      configVersion: 1,
      job: 'data',
      window: { start: '2026-11-23T10:00:00Z', end: '2026-11-23T11:00:00Z' },
    };
    await bus.publish([{ detailType: 'Window Due', detail }]);
    await bus.drain();
    expect(calls.map((c) => c.target)).toEqual([stack.ids.functions.data]);
    expect(calls[0]!.input).toMatchObject({ model: 'seattle-rain', trigger: { detail } });
  });
});
