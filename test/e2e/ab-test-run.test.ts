import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDynamoAuditLog } from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import type { RunSummary } from '../../functions/engine/report/run-summary.ts';
import { verifyChain } from '../../functions/shared/audit/audit-chain.ts';
import { AUDIT_TABLE } from '../../functions/shared/tables.ts';
import { loadConfig } from '../../lib/config.ts';
import { CHALLENGER_VARIANT, CHAMPION_VARIANT, runAbTestScenario } from '../../local/scenario/run-ab-test.ts';
import { useChromium } from '../support/chromium.ts';
import { chartStates, openReport } from '../support/report-page.ts';

const CHANGE_AT = 6;
const HOURS = 14;
const model = loadConfig('config/local.json').models[0]!;

// `npm start -- --scenario ab-test` on the emulators: two variants on the local SageMaker, the winner test fed
// hourly with the labels that arrived, the promotion through the endpoint-control port.
describe('npm start -- --scenario ab-test', () => {
  let summary: RunSummary;
  let liveWeights: Record<string, number>;
  let audit: Awaited<ReturnType<ReturnType<typeof makeDynamoAuditLog>['readChain']>>;

  beforeAll(async () => {
    summary = await runAbTestScenario({
      hours: HOURS,
      driftAt: CHANGE_AT,
      seed: 7,
      requestsPerHour: 100,
      labelDelayHours: 1,
      outDir: join('out', 'e2e', 'ab-test'),
      afterRun: async (world) => {
        const live = world.retraining.sageMaker.describeEndpoint(model.endpoint!.name);
        liveWeights = Object.fromEntries(
          live.ProductionVariants.map((v) => [v.VariantName, v.CurrentWeight]),
        );
        audit = await makeDynamoAuditLog(AUDIT_TABLE.id, world.dynamo.documentClient).readChain(model.name);
      },
    });
  }, 300_000);

  it('writes the abTest section: both variants with requests, labels and metrics', () => {
    const ab = summary.abTest!;
    expect(ab.variants.map((v) => v.name)).toEqual([CHAMPION_VARIANT, CHALLENGER_VARIANT]);
    const total = ab.variants.reduce((n, v) => n + v.requests, 0);
    // every request of every hour whose labels arrived (the last hour's arrive after the run)
    expect(total).toBe((HOURS - 1) * 100);
    for (const v of ab.variants) {
      expect(v.labelled).toBe(v.requests);
      expect(v.metrics.errorRate).toBeGreaterThan(0);
    }
    expect(ab.variants[0]!.metrics.trafficShare + ab.variants[1]!.metrics.trafficShare).toBeCloseTo(1, 12);
    expect(ab.hours).toHaveLength(HOURS);
  });

  it('decides for the challenger only after the world changed, with evidence over 2/α', () => {
    const ab = summary.abTest!;
    expect(ab.decision).toBe('B');
    expect(ab.winner).toBe(CHALLENGER_VARIANT);
    expect(ab.decidedAtHour).toBeGreaterThan(CHANGE_AT);
    expect(ab.hours.find((h) => h.hour === ab.decidedAtHour)!.evidenceForB).toBeGreaterThanOrEqual(
      2 / ab.alpha,
    );
    expect(
      ab.hours.filter((h) => h.hour < ab.decidedAtHour!).every((h) => h.evidenceForB < 2 / ab.alpha),
    ).toBe(true);
    expect(ab.difference.upper).toBeLessThan(0);
  });

  it('shifts the traffic on the endpoint as the config’s approval (auto) says, and audits it', () => {
    expect(model.retraining!.approval).toBe('auto');
    expect(summary.abTest!.promotion).toMatchObject({
      outcome: 'shifted',
      hour: summary.abTest!.decidedAtHour,
    });
    expect(liveWeights).toEqual({ [CHAMPION_VARIANT]: 0, [CHALLENGER_VARIANT]: 1 });
    expect(verifyChain(model.name, audit).ok).toBe(true);
    const entries = audit.flatMap((r) => ('entry' in r ? [r.entry] : []));
    expect(entries.map((e) => e.action)).toEqual(['traffic.shifted']);
    // after the shift the challenger serves every request
    const after = summary.abTest!.hours.filter((h) => h.hour > summary.abTest!.promotion!.hour + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((h) => h.shareB === 1)).toBe(true);
  });

  describe('its report in headless chromium', () => {
    const browser = useChromium();

    it('draws both variants and the evidence over time', async () => {
      const { page, errors } = await openReport(
        () => browser.current.newPage(),
        summary,
        'e2e-ab-test-report',
      );
      try {
        expect(errors).toEqual([]);
        const states = await chartStates(page);
        for (const id of ['ab-variants', 'ab-evidence']) {
          const state = states.find((s) => s.id === id);
          expect(state, id).toMatchObject({ hasInstance: true });
          expect(state!.seriesWithData, id).toBe(state!.seriesCount);
          expect(state!.paintedPixels, id).toBeGreaterThan(5_000);
        }
        expect(await page.locator('[data-ab-decision="B"]').count()).toBe(1);
        expect(await page.locator('#ab-test td', { hasText: CHALLENGER_VARIANT }).count()).toBe(1);
      } finally {
        await page.close();
      }
    });
  });
});
