import { mkdirSync, rmSync } from 'node:fs';
import { makeAbPromoter } from '../../functions/ab-test/ab-promoter.ts';
import { makeDynamoAuditLog } from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import {
  type AbTestState,
  advanceAbTest,
  freshAbTest,
  viewAbTest,
} from '../../functions/engine/ab/ab-test.ts';
import {
  type AbHourSummary,
  type AbPromotionSummary,
  type AbTestSummary,
  variantSummaries,
} from '../../functions/engine/ab/ab-test-summary.ts';
import { DEFAULT_WINNER_TEST_SETTINGS } from '../../functions/engine/ab/paired-test.ts';
import { planAbPromotion } from '../../functions/engine/ab/promotion-plan.ts';
import type { RunSummary, TimelineEvent } from '../../functions/engine/report/run-summary.ts';
import { AUDIT_TABLE } from '../../functions/shared/tables.ts';
import { synthesizeLocalStack } from '../runtime/local-stack.ts';
import { type LocalWorld, startLocalWorld } from '../runtime/local-world.ts';
import { SimulatedClock } from '../runtime/simulated-clock.ts';
import { makeLocalEndpointControl } from '../sagemaker/local-endpoint-control.ts';
import { type LabelledExample, RainModel } from './rain-model.ts';
import { rainScorer, rainTrainer } from './rain-trainer.ts';
import { mulberry32 } from './random.ts';
import { DATA_BUCKET, LOCAL_CONFIG, SCENARIO_START } from './run-scenario.ts';
import type { ScenarioOptions } from './scenario-options.ts';
import { loadSeattleDays } from './seattle-days.ts';
import { DEFAULT_DRIFT, Traffic } from './traffic.ts';

const HOUR_MS = 3_600_000;
export const CHAMPION_VARIANT = 'Champion';
export const CHALLENGER_VARIANT = 'Challenger';
/** the split the experiment starts with: the challenger gets a fifth of the traffic */
const CHALLENGER_WEIGHT = 0.2;
/** examples of the changed world the challenger is trained on */
const CHANGED_WORLD_EXAMPLES = 600;

/**
 * `npm start -- --scenario ab-test`: one endpoint has two production variants of the rain model on the local
 * SageMaker, the champion (trained on Seattle's record) and a challenger (trained on examples of the world as it
 * becomes), the challenger at weight 0. From `driftAt` the world changes and the challenger starts taking a
 * fifth of the traffic (a canary through UpdateEndpointWeightsAndCapacities): after the change it is the better
 * model. (Before the change it is the worse one, and a test fed then would rightly pick the champion, for good:
 * the experiment starts when the challenger does.) Every hour the labels that arrived feed the anytime-valid winner
 * test (functions/engine/ab); once it picks the challenger, the promoter shifts the traffic through the
 * endpoint-control port (UpdateEndpointWeightsAndCapacities on the local SageMaker) when the model's
 * retraining.approval is `auto`, or only asks when it is `manual`, and the audit trail records the shift.
 */
export const runAbTestScenario = async (options: ScenarioOptions): Promise<RunSummary> => {
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const stack = synthesizeLocalStack(LOCAL_CONFIG);
  const model = stack.config.models[0]!;
  const endpoint = model.endpoint!.name;
  const clock = new SimulatedClock(new Date(SCENARIO_START.getTime() - HOUR_MS));
  const timeline: TimelineEvent[] = [];
  const note = (hour: number, kind: TimelineEvent['kind'], text: string) => {
    const event = { hour, kind, text };
    timeline.push(event);
    options.onEvent?.(event);
  };
  const world = await startLocalWorld({
    stack,
    model: model.name,
    clock,
    outDir: options.outDir,
    trainer: rainTrainer,
    scorer: rainScorer,
    dataBuckets: [DATA_BUCKET],
  });
  try {
    await world.dynamo.createTable({ name: AUDIT_TABLE.id });
    const traffic = new Traffic(
      loadSeattleDays(),
      { fromHour: options.driftAt, ...DEFAULT_DRIFT },
      options.seed,
    );
    await deployTwoVariants(world, traffic, model.name, endpoint, options.seed);
    note(
      0,
      'info',
      `${CHAMPION_VARIANT} (v1) serving all traffic; ${CHALLENGER_VARIANT} (v2) deployed at weight 0`,
    );

    const endpoints = makeLocalEndpointControl(world.retraining.sageMaker);
    const promote = makeAbPromoter({
      endpoints,
      events: world.bus,
      audit: makeDynamoAuditLog(AUDIT_TABLE.id, world.dynamo.documentClient),
      principal: 'model-care:ab-test',
    });
    const settings = DEFAULT_WINNER_TEST_SETTINGS;
    let state: AbTestState = freshAbTest(CHAMPION_VARIANT, CHALLENGER_VARIANT);
    const hours: AbHourSummary[] = [];
    let decidedAtHour: number | null = null;
    let promotion: AbPromotionSummary | null = null;
    /** per hour of traffic: each variant's requests and the errors its labels will show */
    const pending = new Map<number, { requests: [number, number]; errors: [number[], number[]] }>();

    for (let hour = 0; hour < options.hours; hour++) {
      clock.set(new Date(SCENARIO_START.getTime() + hour * HOUR_MS + HOUR_MS / 2));
      if (hour === options.driftAt) {
        note(hour, 'drift-injected', 'the world changes (warmer; warm, calm days now rainy)');
        await endpoints.updateVariantWeights(endpoint, {
          [CHAMPION_VARIANT]: 1 - CHALLENGER_WEIGHT,
          [CHALLENGER_VARIANT]: CHALLENGER_WEIGHT,
        });
        note(hour, 'info', `${CHALLENGER_VARIANT} starts taking ${100 * CHALLENGER_WEIGHT}% of the traffic`);
      }
      pending.set(
        hour,
        await serveHour(world, endpoint, traffic.hour(hour, options.requestsPerHour), options.seed, hour),
      );

      // the labels of hour − delay arrive now; the requests count where they were served
      const labelled = pending.get(hour - options.labelDelayHours);
      pending.delete(hour - options.labelDelayHours);
      const served = labelled ?? {
        requests: [0, 0] as [number, number],
        errors: [[], []] as [number[], number[]],
      };
      state = advanceAbTest(
        state,
        [
          { requests: served.requests[0], losses: served.errors[0] },
          { requests: served.requests[1], losses: served.errors[1] },
        ],
        settings,
      );
      const view = viewAbTest(state);
      const rate = (errors: number[]) =>
        errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : null;
      const total = served.requests[0] + served.requests[1];
      hours.push({
        hour,
        errorRates: [rate(served.errors[0]), rate(served.errors[1])],
        shareB: total > 0 ? served.requests[1] / total : 0,
        evidenceForA: view.evidenceForA,
        evidenceForB: view.evidenceForB,
        difference: view.difference,
        lower: view.lower,
        upper: view.upper,
      });
      if (view.decision !== 'undecided' && decidedAtHour === null) {
        decidedAtHour = hour;
        note(
          hour,
          'info',
          `A/B test decided for ${view.winner} (evidence ${view.evidence.toFixed(1)} >= ${2 / settings.alpha})`,
        );
        const live = await endpoints.describeEndpoint(endpoint);
        const weights = Object.fromEntries(live.variants.map((v) => [v.variantName, v.currentWeight ?? 0]));
        const plan = planAbPromotion(view, model.retraining?.approval ?? 'manual', weights);
        const outcome = await promote(model.name, endpoint, plan);
        if (outcome !== 'unchanged' && plan.kind !== 'none') {
          promotion = { hour, outcome, after: plan.after };
          note(
            hour,
            outcome === 'shifted' ? 'promotion' : 'info',
            outcome === 'shifted'
              ? `traffic shifted to ${plan.challenger} (${JSON.stringify(plan.after)})`
              : `approval requested to shift traffic to ${plan.challenger}`,
          );
        }
        await world.bus.drain();
      }
      options.onHour?.(hour);
    }

    const view = viewAbTest(state);
    const abTest: AbTestSummary = {
      variants: variantSummaries(view),
      decision: view.decision,
      winner: view.winner,
      decidedAtHour,
      evidence: view.evidence,
      alpha: settings.alpha,
      margin: settings.margin,
      difference: { estimate: view.difference, lower: view.lower, upper: view.upper },
      promotion,
      hours,
    };
    const summary: RunSummary = {
      formatVersion: 1,
      scenario: {
        dataset: 'seattle-weather',
        hours: options.hours,
        driftAt: options.driftAt,
        seed: options.seed,
        requestsPerHour: options.requestsPerHour,
      },
      windows: [],
      distributions: [],
      alerts: [],
      versions: [],
      retraining: [],
      timeline: [...timeline].sort((a, b) => a.hour - b.hour),
      verdicts: { alpha: settings.alpha, relevance: settings.margin },
      abTest,
    };
    await options.afterRun?.(world, summary);
    return summary;
  } finally {
    await world.stop();
  }
};

/** v1 on Seattle's record, v2 on examples of the changed world; one endpoint, two variants, v2 at weight 0 */
const deployTwoVariants = async (
  world: LocalWorld,
  traffic: Traffic,
  model: string,
  endpoint: string,
  seed: number,
): Promise<void> => {
  const changed = new Traffic(loadSeattleDays(), { fromHour: 0, ...DEFAULT_DRIFT }, seed + 1);
  const recent: LabelledExample[] = [];
  for (let h = 0; recent.length < CHANGED_WORLD_EXAMPLES; h++) recent.push(...changed.hour(10_000 + h, 100));
  const versions = [
    { variant: CHAMPION_VARIANT, name: `${model}-v1`, trained: RainModel.train(traffic.training), weight: 1 },
    { variant: CHALLENGER_VARIANT, name: `${model}-v2`, trained: RainModel.train(recent), weight: 0 },
  ];
  const sageMaker = world.retraining.sageMaker;
  for (const v of versions) {
    const key = `models/${model}/${v.name}/model.tar.gz`;
    await world.store.put(key, JSON.stringify(v.trained.toJSON()), 'application/json');
    sageMaker.createModel({
      ModelName: v.name,
      PrimaryContainer: { Image: 'local/rain', ModelDataUrl: `s3://${world.bucket}/${key}` },
    });
  }
  sageMaker.createEndpointConfig({
    EndpointConfigName: `${endpoint}-ab`,
    ProductionVariants: versions.map((v) => ({
      VariantName: v.variant,
      ModelName: v.name,
      InitialInstanceCount: 1,
      InitialVariantWeight: v.weight,
    })),
  });
  sageMaker.createEndpoint({ EndpointName: endpoint, EndpointConfigName: `${endpoint}-ab` });
  await sageMaker.settled();
};

/**
 * Routes the hour's requests by the endpoint's current weights (as SageMaker does, at random), invokes each
 * variant on the local SageMaker, and returns per variant the requests and each prediction's error (0/1).
 */
const serveHour = async (
  world: LocalWorld,
  endpoint: string,
  examples: readonly LabelledExample[],
  seed: number,
  hour: number,
): Promise<{ requests: [number, number]; errors: [number[], number[]] }> => {
  const sageMaker = world.retraining.sageMaker;
  const live = sageMaker.describeEndpoint(endpoint);
  const weightOf = (name: string) =>
    live.ProductionVariants.find((v) => v.VariantName === name)?.CurrentWeight ?? 0;
  const total = weightOf(CHAMPION_VARIANT) + weightOf(CHALLENGER_VARIANT);
  const shareB = total > 0 ? weightOf(CHALLENGER_VARIANT) / total : 0;
  const random = mulberry32(seed * 7_919 + hour);
  const routed: [LabelledExample[], LabelledExample[]] = [[], []];
  for (const example of examples) routed[random() < shareB ? 1 : 0].push(example);
  const errors: [number[], number[]] = [[], []];
  for (const [i, variant] of [CHAMPION_VARIANT, CHALLENGER_VARIANT].entries()) {
    const batch = routed[i]!;
    if (batch.length === 0) continue;
    const out = await sageMaker.invokeEndpoint({
      endpoint,
      variant,
      contentType: 'text/csv',
      body: batch.map((e) => e.features.join(',')).join('\n'),
    });
    const scores = out.body.split('\n').map(Number);
    errors[i] = batch.map((e, j) => ((scores[j]! >= 0.5 ? 1 : 0) === e.label ? 0 : 1));
  }
  return { requests: [routed[0].length, routed[1].length], errors };
};
