/**
 * Carries out an A/B promotion plan (functions/engine/ab/promotion-plan.ts) the way retraining promotes: the
 * endpoint-control port shifts the traffic (UpdateEndpointWeightsAndCapacities), the audit trail records the
 * before and after weights, and an event tells the alert router. A `manual` plan only asks: it publishes the
 * approval request with the proposed weights and changes nothing. The live weights are read again before the
 * shift, so the audit's `before` is what the endpoint really had.
 */
import type { AuditLog } from '../adapters/audit-log.ts';
import type { EndpointControl } from '../adapters/endpoint-control.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { AbPromotionPlan } from '../engine/ab/promotion-plan.ts';
import { DETAIL_TYPES } from '../shared/events.ts';

export interface AbPromoterDeps {
  readonly endpoints: EndpointControl;
  readonly events: EventPublisher;
  readonly audit: AuditLog;
  /** who acts: `model-care:<function>` */
  readonly principal: string;
}

export type AbPromotionOutcome = 'unchanged' | 'shifted' | 'approval-requested';

export const makeAbPromoter = (deps: AbPromoterDeps) => {
  const { endpoints, events, audit, principal } = deps;
  return async (model: string, endpoint: string, plan: AbPromotionPlan): Promise<AbPromotionOutcome> => {
    if (plan.kind === 'none') return 'unchanged';
    const detail = {
      model,
      endpoint,
      champion: plan.champion,
      challenger: plan.challenger,
      before: plan.before,
      after: plan.after,
      reason: plan.reason,
    };
    if (plan.kind === 'ask') {
      await events.publish([{ detailType: DETAIL_TYPES.trafficShiftApprovalRequested, detail }]);
      return 'approval-requested';
    }
    const live = await endpoints.describeEndpoint(endpoint);
    const before = Object.fromEntries(live.variants.map((v) => [v.variantName, v.currentWeight ?? 0]));
    await endpoints.updateVariantWeights(endpoint, plan.after);
    await audit.append({
      model,
      action: 'traffic.shifted',
      principal,
      reason: `A/B test: ${plan.reason}`,
      before: { endpoint, weights: before },
      after: { endpoint, weights: { ...before, ...plan.after } },
    });
    await events.publish([{ detailType: DETAIL_TYPES.trafficShifted, detail: { ...detail, before } }]);
    return 'shifted';
  };
};
