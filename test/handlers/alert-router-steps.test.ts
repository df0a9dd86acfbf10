import { describe, expect, test } from 'vitest';
import type { AlertStateRepository } from '../../functions/adapters/alert-state-repository.ts';
import { claimChecks, releaseClaims, runSlotOf } from '../../functions/alert-router/alert-claims.ts';
import { classifyViolations } from '../../functions/alert-router/classify-violations.ts';
import { severityOf } from '../../functions/alert-router/severity-policy.ts';
import type { MonitoringViolation } from '../../functions/handler-kit/monitoring-violation.ts';
import { recordingLogger } from './support/fakes.ts';

const violation = (check: string, value: number | null, threshold: number | null = 0.1) => ({
  featureName: 'temp_max',
  constraintCheckType: check,
  description: `${check} violated`,
  value,
  threshold,
});

/** the margin policy with criticalFactor 2 */
const byMargin = (v: MonitoringViolation) => severityOf(v, 2);

describe('classifyViolations', () => {
  test('grades each violation, worst first, and groups them by check', () => {
    // Prepare: drift at 3x its threshold is critical with criticalFactor 2; an extra column is info
    const reported = [
      violation('extra_column_check', null, null),
      violation('baseline_drift_check', 0.15),
      violation('baseline_drift_check', 0.3),
    ];
    // Act
    const run = classifyViolations(reported, byMargin);
    // Assess
    expect(run.violations.map((v) => [v.constraintCheckType, v.severity])).toEqual([
      ['baseline_drift_check', 'critical'],
      ['baseline_drift_check', 'warning'],
      ['extra_column_check', 'info'],
    ]);
    expect([...run.byCheck.keys()]).toEqual(['baseline_drift_check', 'extra_column_check']);
    expect(run.severity).toBe('critical');
  });

  test('drops null figures rather than passing them on as numbers', () => {
    const [classified] = classifyViolations(
      [violation('completeness_check', null, null)],
      byMargin,
    ).violations;
    expect(classified).not.toHaveProperty('value');
    expect(classified).not.toHaveProperty('threshold');
  });
});

describe('alert claims', () => {
  test('a run slot is the same for the same checks in any order, and new when the checks change', () => {
    expect(runSlotOf('run-1', ['a', 'b'])).toBe(runSlotOf('run-1', ['b', 'a']));
    expect(runSlotOf('run-1', ['a', 'b'])).not.toBe(runSlotOf('run-1', ['a']));
    expect(runSlotOf('run-1', ['a'])).not.toBe(runSlotOf('run-2', ['a']));
  });

  const repository = (answers: Record<string, boolean | Error>) => {
    const asked: { slot: string; severity: string }[] = [];
    const cleared: string[] = [];
    const alerts: AlertStateRepository = {
      shouldNotify: async (_model, slot, severity) => {
        asked.push({ slot, severity });
        const answer = answers[slot] ?? true;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      clear: async (_model, slot) => {
        if (slot === 'stuck') throw new Error('throttled');
        cleared.push(slot);
      },
    };
    return { alerts, asked, cleared };
  };
  const byCheck = classifyViolations(
    [violation('baseline_drift_check', 0.5), violation('completeness_check', 0.985, 0.99)],
    byMargin,
  ).byCheck;
  const claim = { model: 'churn', job: 'data', byCheck, now: new Date(0), cooldownSeconds: 3600 };

  test("claims each check at its worst severity under the job's slot, keeping the ones that may notify", async () => {
    const { alerts, asked } = repository({ 'data.completeness_check': false });
    const claimed: string[] = [];
    await claimChecks(alerts, claim, claimed);
    expect(asked).toEqual([
      { slot: 'data.baseline_drift_check', severity: 'critical' },
      { slot: 'data.completeness_check', severity: 'warning' },
    ]);
    expect(claimed).toEqual(['baseline_drift_check']);
  });

  test('rejects midway with the claims made so far recorded, so they can be taken back', async () => {
    const { alerts } = repository({ 'data.completeness_check': new Error('throttled') });
    const claimed: string[] = [];
    await expect(claimChecks(alerts, claim, claimed)).rejects.toThrow('throttled');
    expect(claimed).toEqual(['baseline_drift_check']);
  });

  test('releasing clears every slot it can and logs the ones it cannot', async () => {
    const { alerts, cleared } = repository({});
    const logger = recordingLogger();
    await releaseClaims(alerts, 'churn', ['data.a', 'stuck', 'run#1'], logger, { runId: '1' });
    expect(cleared).toEqual(['data.a', 'run#1']);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'alert claim not cleared' }),
    ]);
  });
});
