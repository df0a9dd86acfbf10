import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import {
  type AlertFacts,
  buildActionableAlert,
  reproduceCommand,
} from '../../functions/alert-router/actionable-alert.ts';
import { brokenChainAlert } from '../../functions/alert-router/broken-chain-alert.ts';
import { likelyCause } from '../../functions/alert-router/likely-cause.ts';
import { gsmLength, SMS_MAX } from '../../functions/alert-router/text-safety.ts';
import type { DataEvidence, FeatureShift } from '../../functions/engine/report/data-evidence.ts';
import type { QualityEvidence } from '../../functions/engine/report/quality-evidence.ts';
import type { MonitoringViolation } from '../../functions/handler-kit/monitoring-violation.ts';
import { verifyChain } from '../../functions/shared/audit/audit-chain.ts';

const PAGE = 'https://model-care-store.s3.eu-west-1.amazonaws.com/reports/churn/data/2026-11-20T10/page.html';
const RUNBOOKS = 'https://github.com/example/model-care/blob/main/docs/runbooks';

const shift = (over: Partial<FeatureShift> & Pick<FeatureShift, 'name'>): FeatureShift => ({
  type: 'numerical',
  drifted: false,
  status: 'ok',
  method: 'wasserstein',
  score: 0.01,
  threshold: 0.1,
  direction: 'none',
  change: 'mean 1 -> 1 (+0 sd)',
  size: 0,
  missing: { baseline: 0, current: 0 },
  ...over,
});

const dataEvidence = (features: FeatureShift[], driftedShare = 0.25): DataEvidence => ({
  rowsBaseline: 1000,
  rowsCurrent: 240,
  drifted: driftedShare >= 0.5,
  driftedShare,
  driftShareThreshold: 0.5,
  features,
});

const driftViolation = (feature: string, value: number): MonitoringViolation => ({
  featureName: feature,
  constraintCheckType: 'baseline_drift_check',
  description: `wasserstein ${value} > 0.1`,
  value,
  threshold: 0.1,
});

const dataFacts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  model: 'churn',
  severity: 'critical',
  runId: 'churn#data#2026-11-20T10:00:00.000Z',
  window: { start: '2026-11-20T10:00:00.000Z', end: '2026-11-20T11:00:00.000Z' },
  violations: [driftViolation('tenure', 0.42)],
  baseline: { uri: 's3://model-care-store/baselines/churn/3/', version: 3 },
  inputs: { job: 'data', current: 's3://model-care-store/capture/churn-ep/AllTraffic/2026/11/20/10/' },
  data: dataEvidence([
    shift({
      name: 'tenure',
      drifted: true,
      direction: 'up',
      change: 'mean 12 -> 18.5 (+1.3 sd)',
      size: 1.3,
      score: 0.42,
    }),
    shift({ name: 'plan', type: 'categorical', method: 'jensenshannon', change: 'same mix of categories' }),
  ]),
  links: { page: PAGE, runbooks: RUNBOOKS },
  ...over,
});

const qualityEvidence = (estimate?: number): QualityEvidence => ({
  headline: { metric: 'accuracy', value: 0.71, labelled: 263, interval: { low: 0.652, high: 0.762 } },
  ...(estimate === undefined
    ? {}
    : {
        estimate: {
          metric: 'accuracy',
          value: estimate,
          interval: { low: estimate - 0.03, high: estimate + 0.03 },
        },
      }),
  segments: [{ segment: 'region=EU', value: 0.55, labelled: 80, worseBy: 0.16 }],
  lowerIsBetter: false,
});

const qualityFacts = (estimate?: number): AlertFacts => ({
  ...dataFacts(),
  violations: [
    {
      featureName: 'accuracy',
      constraintCheckType: 'model_quality_check',
      description: 'accuracy 0.71 < 0.8',
      value: 0.71,
      threshold: 0.8,
    },
  ],
  inputs: {
    job: 'quality',
    predictions: 's3://model-care-store/capture/churn-ep/AllTraffic/2026/11/20/10/',
    labels: 's3://model-care-store/ground-truth/churn/2026/11/20/10/',
    problem: 'binary',
  },
  data: undefined,
  quality: qualityEvidence(estimate),
});

describe('buildActionableAlert', () => {
  it('says what was checked against which baseline, the evidence, the cause, the runbook, the command and the page', () => {
    // Act
    const alert = buildActionableAlert(dataFacts());
    // Assess
    expect(alert.subject).toBe('[CRITICAL] churn: tenure drift 0.42>0.1');
    expect(alert.text).toContain('the window 2026-11-20T10:00:00.000Z to 2026-11-20T11:00:00.000Z');
    expect(alert.text).toContain('against the baseline s3://model-care-store/baselines/churn/3/ (version 3)');
    expect(alert.text).toContain(
      '  - tenure [DRIFTED, up]: mean 12 -> 18.5 (+1.3 sd); wasserstein 0.42 (threshold 0.1)',
    );
    expect(alert.text).toContain('1 of 2 features drifted (25%; the dataset drifts from 50%); 240 rows');
    expect(alert.likelyCause).toMatch(/^a shift of the population in tenure/);
    expect(alert.runbooks).toEqual([
      { check: 'baseline_drift_check', url: `${RUNBOOKS}/baseline_drift_check.md` },
    ]);
    expect(alert.command).toBe(
      'model-care check --baseline s3://model-care-store/baselines/churn/3/ --current s3://model-care-store/capture/churn-ep/AllTraffic/2026/11/20/10/',
    );
    expect(alert.text).toContain(`  reproduce the verdict: ${alert.command}`);
    expect(alert.text).toContain(`  the run's page: ${PAGE}`);
  });

  it('gives the quality figure with its interval, the estimate and the worse segments', () => {
    const alert = buildActionableAlert(qualityFacts(0.7));
    expect(alert.text).toContain('  accuracy 0.71 on 263 labelled predictions (95% CI 0.652 to 0.762)');
    expect(alert.text).toContain('  label-free estimate 0.7 (95% CI 0.67 to 0.73)');
    expect(alert.text).toContain('  segment region=EU: accuracy 0.55, worse by 0.16 on 80 labels');
    expect(alert.command).toBe(
      'model-care quality --predictions s3://model-care-store/capture/churn-ep/AllTraffic/2026/11/20/10/ --labels s3://model-care-store/ground-truth/churn/2026/11/20/10/ --problem binary',
    );
    expect(alert.sms).toBe(`CRITICAL churn quality: accuracy 0.71 [0.652,0.762] ${PAGE}`);
  });

  test.each([
    ['the estimate agrees', 0.7, /^the label-free estimate agrees with the labels/],
    [
      'the estimate does not see it',
      0.9,
      /concept drift\), or the labels are wrong; concentrated in segment region=EU$/,
    ],
  ])('names the likely quality cause when %s', (_, estimate, pattern) => {
    expect(buildActionableAlert(qualityFacts(estimate)).likelyCause).toMatch(pattern);
  });
});

describe('likelyCause', () => {
  const drifted = (
    name: string,
    size: number,
    type: 'numerical' | 'categorical' = 'numerical',
    change = '',
  ) => shift({ name, drifted: true, size, type, change });
  test.each([
    ['no data', ['no_data_check'], undefined, /^no capture reached the store/],
    ['unreadable capture', ['capture_readability_check'], undefined, /record format no longer matches/],
    ['a missing column', ['missing_column_check'], undefined, /^an upstream schema change/],
    [
      'a field no longer filled',
      ['baseline_drift_check'],
      dataEvidence([shift({ name: 'zip', missing: { baseline: 0.01, current: 0.6 } })]),
      /^zip no longer filled/,
    ],
    [
      'many features at once',
      ['baseline_drift_check'],
      dataEvidence([drifted('a', 1), drifted('b', 1), drifted('c', 1)], 0.75),
      /^3 features moved at once/,
    ],
    [
      'a jump in sd',
      ['baseline_drift_check'],
      dataEvidence([drifted('price', 40)]),
      /^price jumped by 3 or more/,
    ],
    [
      'new categories',
      ['baseline_drift_check'],
      dataEvidence([drifted('country', 0.3, 'categorical', '"DE" 1% -> 30% of rows; new: "XX"')]),
      /^new values in country/,
    ],
    ['a value range only', ['value_range_check'], undefined, /^values outside what the baseline saw/],
  ] as const)('names %s', (_, checks, data, pattern) => {
    expect(likelyCause(new Set(checks), data, undefined)).toMatch(pattern);
  });
});

describe('the SMS line', () => {
  const hostile = [
    ['a very long model name', 'm'.repeat(300)],
    ['line breaks and control characters', 'churn\r\n\u0007\u001b[31mRED\u202eevil'],
    ['emoji and non-Latin script', '模型-🚀-модель'.repeat(20)],
    ['GSM-7 double characters', '{[|~^\\]}'.repeat(40)],
  ];

  test.each(hostile)('fits one GSM-7 segment with the whole link, for %s', (_, name) => {
    // Prepare
    const facts = dataFacts({
      model: name,
      data: dataEvidence([shift({ name, drifted: true, direction: 'up', size: 2.5 })]),
    });
    // Act
    const { sms } = buildActionableAlert(facts);
    // Assess
    expect(gsmLength(sms)).toBeLessThanOrEqual(SMS_MAX);
    expect(sms).toMatch(/^[\x20-\x7e]+$/);
    expect(sms.endsWith(` ${PAGE}`)).toBe(true);
    expect(sms.startsWith('CRITICAL ')).toBe(true);
  });

  it('stays within one segment and keeps a link that fits, whatever the names (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { minLength: 1, maxLength: 5 }),
        fc.webUrl({ size: 'medium' }),
        (model, features, page) => {
          const facts = dataFacts({
            model,
            data: dataEvidence(
              features.map((name) => shift({ name, drifted: true, direction: 'down', size: 1 })),
            ),
            links: { page, runbooks: RUNBOOKS },
          });
          const { sms } = buildActionableAlert(facts);
          expect(gsmLength(sms)).toBeLessThanOrEqual(SMS_MAX);
          expect(sms).not.toMatch(/[\r\n]/);
          if (page.length <= 100 && /^[\x21-\x7e]+$/.test(page)) expect(sms.endsWith(` ${page}`)).toBe(true);
        },
      ),
    );
  });

  it('leaves out a link too long for one segment and says where it is', () => {
    const { sms } = buildActionableAlert(
      dataFacts({ links: { page: `${PAGE}?${'x'.repeat(200)}`, runbooks: RUNBOOKS } }),
    );
    expect(sms).toBe('CRITICAL churn data: tenure up 1.3sd (link in e-mail)');
  });
});

describe('reproduceCommand', () => {
  it('quotes hostile locations so a POSIX shell passes them through unchanged', () => {
    // Prepare
    const current = 's3://bucket/capture/it\'s $(rm -rf ~) `id` "x"; echo pwned/';
    const baseline = 's3://bucket/baselines/a b/';
    // Act
    const command = reproduceCommand({ baseline: { uri: baseline }, inputs: { job: 'data', current } });
    // Assess: the shell sees exactly the arguments we meant
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${command.replace(/^model-care /, '')}`], {
      encoding: 'utf8',
    });
    expect(argv.split('\n').slice(0, -1)).toEqual(['check', '--baseline', baseline, '--current', current]);
  });
});

describe('brokenChainAlert', () => {
  it('names the first bad entry of a broken chain, and is undefined for a chain that verifies', () => {
    // Prepare: the only entry cannot be read
    const broken = verifyChain('churn', [{ seq: 1, problem: 'no hash attribute' }]);
    const fine = verifyChain('churn', []);
    // Act
    const alert = brokenChainAlert(broken, 'https://example.com/docs/audit.md');
    // Assess
    expect(alert?.subject).toBe('[CRITICAL] churn: audit trail broken at entry 1');
    expect(alert?.text).toContain('First bad entry: entry 1: unreadable: no hash attribute.');
    expect(alert?.sms.length).toBeLessThanOrEqual(SMS_MAX);
    expect(brokenChainAlert(fine, 'x')).toBeUndefined();
  });
});
