import { describe, expect, it } from 'vitest';
import { loadHarmState } from '../../functions/handler-kit/harm-state.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import { makeQualityJobHandler } from '../../functions/quality-job/quality-job.ts';
import { knownModelConfigs } from '../support/known-model-configs.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import {
  churnModel,
  type Prediction,
  seeded,
  writeCapture,
  writeLabels,
} from './support/quality-fixtures.ts';
import { scheduleEvent } from './support/seattle.ts';

// The quality job's harm evidence on dynalite and s3rver: the labels the concept-drift detectors get also feed
// an e-process against θ = the error's upper bound over the first labels (the burn-in) + the tolerance; when it
// alarms the run reports `model_error_check`, and its event says the harm is confirmed.
const env = useHandlerEnvironment();

const qualityJob = (now: string) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const handler = makeQualityJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    detectors: adapters.detectors,
    registry: adapters.registry,
    events,
    metrics: new RecordingMetrics(),
    now: () => new Date(now),
    logger: recordingLogger(),
    minLabelled: 10,
  });
  return { handler, events, adapters };
};

/** `count` predictions, right with probability `rightShare` */
const day = (prefix: string, count: number, rightShare: number, random: () => number) =>
  Array.from({ length: count }, (_, i) => {
    const label = random() < 0.5 ? 1 : 0;
    const predicted = random() < rightShare ? label : 1 - label;
    const score = predicted === 1 ? 0.55 + random() * 0.4 : 0.05 + random() * 0.4;
    const prediction: Prediction = { id: `${prefix}-${i}`, score, region: 'north', tenure: i % 48 };
    return { prediction, label };
  });

describe('the quality job tracks harm: the error against the holdout error plus a tolerance', () => {
  it('burns in θ from the first labels, stays quiet while the error holds, alarms once it provably exceeds θ', async () => {
    const model = churnModel('harm', { verdicts: { harm: { tolerance: 0.05, burnInLabels: 500 } } });
    const random = seeded(11);
    const days = ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06'];
    const reports: Record<string, unknown>[] = [];
    const details: (MonitoringViolationsDetail | undefined)[] = [];
    for (const [i, date] of days.entries()) {
      // 300 labelled predictions a day: 10% wrong for three days, then 45% wrong
      const rows = day(`d${i}`, 300, i < 3 ? 0.9 : 0.55, random);
      const adapters = env.adapters();
      await writeCapture(
        adapters.store,
        model,
        rows.map((r) => r.prediction),
        `${date}T09:00:00Z`,
      );
      await writeLabels(
        adapters.store,
        model.name,
        rows.map((r) => ({ id: r.prediction.id, label: r.label })),
        `${date}T18:00:00Z`,
      );
      const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 + 600_000).toISOString();
      const { handler, events } = qualityJob(next);
      await handler(scheduleEvent(model, next));
      reports.push(
        JSON.parse(
          await adapters.store.getText(`reports/${model.name}/quality/${date}T00:00:00Z/report.json`),
        ),
      );
      details.push(events.events[0]?.detail as MonitoringViolationsDetail | undefined);
    }
    const harm = reports.map(
      (r) =>
        r.harm as {
          tolerance: { theta: number; source: string } | null;
          evidence: number;
          confirmedSince: string | null;
        },
    );
    // day 1: 300 labels, still burning in; day 2: 600 labels set θ (their upper bound + 0.05) and are not bet on
    expect(harm[0]!.tolerance).toBeNull();
    expect(harm[1]!.tolerance!.source).toBe('first 600 labelled predictions');
    expect(harm[1]!.tolerance!.theta).toBeGreaterThan(0.1);
    expect(harm[1]!.tolerance!.theta).toBeLessThan(0.25);
    expect(harm[2]!.confirmedSince).toBeNull();
    const confirmed = harm.findIndex((h) => h.confirmedSince !== null);
    expect(confirmed).toBeGreaterThanOrEqual(3);
    const detail = details[confirmed]!;
    const violation = detail.violations.find((v) => v.constraintCheckType === 'model_error_check');
    expect(violation?.description).toMatch(
      /The model's error provably exceeds θ = 0\.\d+ \(first 600 labelled predictions \+ tolerance\)/,
    );
    expect(detail.evidence).toMatchObject({ confirmedLoss: true, confirmedHarm: true });
    // the alarm is reported once; the evidence stays on record
    const later = details.slice(confirmed + 1).flatMap((d) => d?.violations ?? []);
    expect(later.some((v) => v.constraintCheckType === 'model_error_check')).toBe(false);
    const stored = await loadHarmState(env.adapters().detectors, model.name);
    expect(stored?.state.confirmedSince).toBe(`${days[confirmed]}T00:00:00Z`);
  });
});
