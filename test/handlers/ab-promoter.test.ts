import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAbPromoter } from '../../functions/ab-test/ab-promoter.ts';
import { makeDynamoAuditLog } from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import { VariantNotFoundError } from '../../functions/adapters/errors.ts';
import { makeEventBridgePublisher } from '../../functions/adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeSageMakerEndpointControl } from '../../functions/adapters/sagemaker/sagemaker-endpoint-control.ts';
import { advanceAbTest, freshAbTest, viewAbTest } from '../../functions/engine/ab/ab-test.ts';
import { DEFAULT_WINNER_TEST_SETTINGS } from '../../functions/engine/ab/paired-test.ts';
import { type AbPromotionPlan, planAbPromotion } from '../../functions/engine/ab/promotion-plan.ts';
import { verifyChain } from '../../functions/shared/audit/audit-chain.ts';
import { useDynalite } from '../support/dynalite.ts';
import { createEventTap, type EventTap } from '../support/eventbridge-tap.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

const AUDIT = 'mc-audit';
const moto = useMotoServer();
const dynalite = useDynalite([{ name: AUDIT }]);

/** an A/B test that the challenger (B) has clearly won: A wrong on every label, B right */
const decided = () => {
  let state = freshAbTest('Champion', 'Challenger');
  for (let h = 0; h < 12; h++) {
    state = advanceAbTest(
      state,
      [
        { requests: 40, losses: Array(20).fill(1) },
        { requests: 10, losses: Array(20).fill(0) },
      ],
      DEFAULT_WINNER_TEST_SETTINGS,
    );
  }
  return viewAbTest(state);
};

describe('promoting an A/B winner through the endpoint-control port (moto SageMaker, EventBridge; dynalite audit)', () => {
  let sagemaker: SageMakerClient;
  let tap: EventTap;
  const promoter = () =>
    makeAbPromoter({
      endpoints: makeSageMakerEndpointControl(sagemaker),
      events: makeEventBridgePublisher(tap.busName, new EventBridgeClient(moto.current.clientConfig)),
      audit: makeDynamoAuditLog(AUDIT, dynalite.current.documentClient),
      principal: 'model-care:quality-job',
    });
  const weights = async (endpoint: string) => {
    const out = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
    return Object.fromEntries((out.ProductionVariants ?? []).map((v) => [v.VariantName, v.CurrentWeight]));
  };

  beforeAll(async () => {
    sagemaker = new SageMakerClient(moto.current.clientConfig);
    tap = await createEventTap(moto.current, 'ab-bus');
    for (const name of ['churn-a', 'churn-b']) {
      await sagemaker.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker',
          PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' },
        }),
      );
    }
    for (const endpoint of ['churn-ep', 'churn-manual']) {
      await sagemaker.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: `${endpoint}-config`,
          ProductionVariants: [
            {
              VariantName: 'Champion',
              ModelName: 'churn-a',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 1,
              InitialVariantWeight: 0.8,
            },
            {
              VariantName: 'Challenger',
              ModelName: 'churn-b',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 1,
              InitialVariantWeight: 0.2,
            },
          ],
        }),
      );
      await sagemaker.send(
        new CreateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: `${endpoint}-config` }),
      );
    }
  });

  it('shifts all traffic to the challenger when approval is auto, audits it and tells the bus', async () => {
    // Prepare
    const plan = planAbPromotion(decided(), 'auto', await weights('churn-ep'));

    // Act
    const outcome = await promoter()('churn', 'churn-ep', plan);

    // Assess
    expect(outcome).toBe('shifted');
    expect(await weights('churn-ep')).toEqual({ Champion: 0, Challenger: 1 });
    const trail = await makeDynamoAuditLog(AUDIT, dynalite.current.documentClient).readChain('churn');
    expect(verifyChain('churn', trail).ok).toBe(true);
    const last = trail.at(-1)!;
    const entry = 'entry' in last ? last.entry : last;
    expect(entry).toMatchObject({
      action: 'traffic.shifted',
      principal: 'model-care:quality-job',
      before: { endpoint: 'churn-ep', weights: { Champion: 0.8, Challenger: 0.2 } },
      after: { endpoint: 'churn-ep', weights: { Champion: 0, Challenger: 1 } },
    });
    const delivered = await tap.drain();
    expect(delivered.map((e) => e['detail-type'])).toEqual(['Variant Traffic Shifted']);
    expect(delivered[0]!.detail).toMatchObject({
      model: 'churn',
      challenger: 'Challenger',
      after: { Challenger: 1 },
    });
  });

  it('only asks when approval is manual: an approval request on the bus, the weights unchanged', async () => {
    // Prepare
    const plan = planAbPromotion(decided(), 'manual', await weights('churn-manual'));

    // Act
    const outcome = await promoter()('churn', 'churn-manual', plan);

    // Assess
    expect(outcome).toBe('approval-requested');
    expect(await weights('churn-manual')).toEqual({ Champion: 0.8, Challenger: 0.2 });
    const delivered = await tap.drain();
    expect(delivered.map((e) => e['detail-type'])).toEqual(['Variant Traffic Shift Approval Requested']);
    expect(delivered[0]!.detail).toMatchObject({ after: { Champion: 0, Challenger: 1 } });
  });

  it('rejects a variant the endpoint does not have with one line naming it, and changes nothing', async () => {
    // Prepare
    const plan: AbPromotionPlan = {
      kind: 'shift',
      champion: 'Champion',
      challenger: 'Blue',
      before: { Champion: 0.8, Blue: 0.2 },
      after: { Champion: 0, Blue: 1 },
      reason: 'test',
    };

    // Act
    const attempt = promoter()('churn', 'churn-manual', plan);

    // Assess
    await expect(attempt).rejects.toThrow(VariantNotFoundError);
    await expect(attempt).rejects.toThrow(
      'endpoint churn-manual has no variant Blue (it has Champion, Challenger); nothing changed',
    );
    expect(await weights('churn-manual')).toEqual({ Champion: 0.8, Challenger: 0.2 });
    expect(await tap.drain()).toEqual([]);
  });
});

describe('the promotion plan', () => {
  it.each([['undecided', () => viewAbTest(freshAbTest('A', 'B')), /^no decision after 0 hours/]])(
    'changes nothing while %s',
    (_name, view, reason) => {
      const plan = planAbPromotion(view(), 'auto', { A: 0.5, B: 0.5 });
      expect(plan.kind).toBe('none');
      expect(plan.kind === 'none' && plan.reason).toMatch(reason);
    },
  );

  it('changes nothing when the challenger already has all the traffic', () => {
    expect(planAbPromotion(decided(), 'auto', { Champion: 0, Challenger: 1 }).kind).toBe('none');
  });

  it('gives the challenger the traffic both variants had, leaving other variants alone', () => {
    const plan = planAbPromotion(decided(), 'auto', { Champion: 0.3, Challenger: 0.2, Other: 0.5 });
    expect(plan).toMatchObject({ kind: 'shift', after: { Champion: 0, Challenger: 0.5 } });
  });
});
