import * as z from 'zod';
import type { CaptureSources } from '../adapters/capture-source.ts';
import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import type { EndpointMetrics } from '../adapters/endpoint-metrics.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { MetricRepository } from '../adapters/metric-repository.ts';
import { MODEL_LEVEL_FEATURE } from '../adapters/metric-repository.ts';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RegistryRepository } from '../adapters/registry-repository.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository, RunStatus } from '../adapters/run-repository.ts';
import { runReportKeys } from '../adapters/s3-layout.ts';
import { firstLabelPerId } from '../engine/labels/first-label-wins.ts';
import type { LabelRecord } from '../engine/labels/ground-truth.ts';
import { joinLabels } from '../engine/labels/join-labels.ts';
import { evaluateQuality } from '../engine/quality/evaluate-quality.ts';
import { checkQualityConstraints } from '../engine/quality/index.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { readJobEvent, windowRangeSchema } from '../handler-kit/job-event.ts';
import { HOUR_MS, jobWindow, windowRange } from '../handler-kit/job-window.ts';
import { runIdOf } from '../handler-kit/monitoring-violation.ts';
import { recordFailedRun } from '../handler-kit/run-failure.ts';
import { recordFinishedRun } from '../handler-kit/run-success.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { WindowRange } from '../shared/events.ts';
import { ERROR_EVIDENCE_METRIC } from '../shared/telemetry.ts';
import { NO_EVIDENCE, storableEvidence } from '../shared/verdict-context.ts';
import { toBinary } from './binary-labels.ts';
import { feedConceptDrift } from './concept-drift.ts';
import { advanceHarmEvidence, harmSummary, harmViolations } from './harm-evidence.ts';
import {
  operationalMetricPoints,
  operationalViolations,
  readOperationalHealth,
} from './operational-health.ts';
import { resolveQualityConstraints } from './quality-constraints.ts';
import { headlineMetrics, qualityMetricPoints, qualityViolations } from './quality-output.ts';
import { qualityReport } from './quality-report.ts';
import { readWindowLabels } from './window-labels.ts';
import { readWindowPredictions } from './window-predictions.ts';

export interface QualityJobDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  /** the capture store: capture/, ground-truth/, baselines/, reports/ */
  readonly store: ObjectStore;
  readonly bucket: string;
  /** where each model's capture is read (capture-source.ts); @default the stack store's `capture/` */
  readonly captureSources?: CaptureSources;
  readonly runs: RunRepository;
  readonly series: MetricRepository;
  /** concept-drift detector state between runs */
  readonly detectors: DetectorStateRepository;
  /** the champion's evaluation, when constraints are derived from it */
  readonly registry: RegistryRepository;
  readonly events: EventPublisher;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** the endpoint's CloudWatch metrics; @default - none: operational checks are skipped (the local twin) */
  readonly endpointMetrics?: EndpointMetrics;
  /** overrides how late labels may arrive (label-horizon.ts); @default - the model's `quality.labelHorizonHours` */
  readonly labelHorizonHours?: number;
  /**
   * overrides the feature whose values segment the metrics (and, for binary models, the fairness gaps);
   * @default - the model's `quality.segmentFeature`
   */
  readonly segmentFeatureOf?: (model: ModelConfig) => string | undefined;
  /** overrides the gap above which fairness is violated; @default - the model's `quality.fairnessThreshold` */
  readonly fairnessThreshold?: number;
  /** with fewer labelled predictions the constraints are not checked (reported as skipped); @default 30 */
  readonly minLabelled?: number;
}

export interface QualityJobResult {
  readonly model: string;
  readonly runId: string;
  readonly window: WindowRange;
  readonly status: RunStatus;
  readonly predictions: number;
  readonly labelled: number;
  readonly unmatched: { readonly predictions: number; readonly labels: number };
  readonly metrics: Record<string, number>;
  readonly violations: number;
  /** labelled predictions fed to the concept-drift detectors by this run */
  readonly detectorsFed: number;
  readonly reportUri: string;
  readonly eventPublished: boolean;
}

/** schedules send `{}`; `Quality Evaluation Requested` names the window to re-evaluate */
const detailSchema = z.looseObject({
  model: z.string().optional(),
  window: windowRangeSchema.optional(),
  reason: z.string().optional(),
});

/**
 * The model-quality job: the window that just closed (`schedules.qualityWindowMinutes`), or the one a
 * `Quality Evaluation Requested` event re-opens when late labels arrive. Joins the window's predictions from
 * capture (id = inferenceId, else eventId) with the labels that may belong to them (label-horizon.ts), computes
 * the metrics (scikit-learn's definitions), checks Model Monitor-style quality constraints, feeds the labels not
 * yet seen to the concept-drift detectors (state in DynamoDB), estimates binary performance from scores without
 * labels, checks the endpoint's operational health when `operational` thresholds are set (operational-health.ts),
 * and writes `reports/<model>/quality/<windowStart>/`, the run record, metric series, EMF, and
 * `Monitoring Violations Detected` when anything is violated. Re-running a window replaces its results.
 */
export const makeQualityJobHandler = (deps: QualityJobDeps) => {
  const { store, logger } = deps;
  const minLabelled = deps.minLabelled ?? 30;

  return async (event: unknown): Promise<QualityJobResult> => {
    const { model, trigger } = await readJobEvent(event, detailSchema, deps.configs);
    const window = jobWindow(trigger.time, model.schedules.qualityWindowMinutes, trigger.detail.window);
    const range = windowRange(window);
    const runId = runIdOf(model.name, 'quality', range.start);
    const startedAt = deps.now();
    const segmentAttribute = deps.segmentFeatureOf ? undefined : model.quality.segmentAttribute;
    // a custom attribute names its series as a feature does: `<key>=<value>`
    const segmentFeature = deps.segmentFeatureOf
      ? deps.segmentFeatureOf(model)
      : (model.quality.segmentFeature ?? segmentAttribute);
    const horizonHours = deps.labelHorizonHours ?? model.quality.labelHorizonHours;
    const fairnessThreshold = deps.fairnessThreshold ?? model.quality.fairnessThreshold;
    const context = { model: model.name, runId, reason: trigger.detail.reason ?? trigger.detailType };
    try {
      const source = deps.captureSources?.(model);
      const predictions = await readWindowPredictions({
        store,
        model,
        window,
        ...(segmentAttribute === undefined ? { segmentFeature } : { segmentAttribute }),
        logger,
        ...(source ? { source } : {}),
      });
      const labels = await readWindowLabels({ store, model: model.name, window, horizonHours, logger });
      if (model.problemType === 'binary') {
        for (const batch of labels.batches) {
          batch.labels.forEach((label, i) => {
            batch.labels[i] = { ...label, label: toBinary(label.label, model.positiveLabel) };
          });
        }
      }
      // one label per inference id, the first stored, for the join, the metrics and the detectors alike
      const firstLabels = firstLabelPerId(labels.batches);
      if (firstLabels.conflicts > 0) {
        logger.warn('labels that contradict an earlier label of the same inference id were left out', {
          ...context,
          conflicts: firstLabels.conflicts,
          samples: firstLabels.conflictSamples,
        });
      }
      const joined = await joinLabels(
        predictions.byId.values(),
        firstLabels.batches.flatMap((b): LabelRecord[] => b.labels),
      );
      const evaluation = evaluateQuality(
        {
          ...joined,
          duplicateIds:
            joined.duplicateIds + predictions.duplicateIds + firstLabels.duplicates + firstLabels.conflicts,
        },
        model.problemType,
        { threshold: model.decisionThreshold },
      );
      const resolved = await resolveQualityConstraints({ model, store, registry: deps.registry });
      const check =
        evaluation.rows >= minLabelled && resolved.constraints.constraints.length > 0
          ? checkQualityConstraints(evaluation.metrics, resolved.constraints)
          : null;
      const drift = await feedConceptDrift({
        repository: deps.detectors,
        model: model.name,
        problem: model.problemType,
        threshold: model.decisionThreshold,
        window: range,
        batches: firstLabels.batches,
        predictions: predictions.byId,
        horizonMs: horizonHours * HOUR_MS,
        now: startedAt,
        lossScale: model.problemType === 'regression' ? model.verdicts.harm.lossScale : undefined,
      });
      const estimate =
        predictions.estimator && predictions.estimator.count > 0 ? predictions.estimator.estimate() : null;
      // harm, not just change (issue 12): the fed labels and the estimate against the holdout error + tolerance
      const harm = await advanceHarmEvidence({
        repository: deps.detectors,
        store,
        registry: deps.registry,
        model,
        windowStart: range.start,
        fed: drift.fed,
        loss: drift.fedLoss,
        estimate,
        measured: (check?.violations.length ?? 0) > 0,
        now: startedAt,
      });
      const operational = await readOperationalHealth(deps.endpointMetrics, model, window);
      const violations = [
        ...qualityViolations({
          evaluation,
          constraints: resolved.constraints,
          check,
          drift,
          fairnessThreshold,
        }),
        ...operationalViolations(operational, model.operational),
        ...harmViolations(harm, model.verdicts.alpha),
      ];
      const predictionCount = predictions.byId.size;
      // an endpoint gone silent has no predictions yet is a violation, not just an empty window
      const status: RunStatus =
        violations.length > 0 ? 'violations' : predictionCount === 0 ? 'no-data' : 'ok';
      const metrics = headlineMetrics(model.problemType, evaluation);
      const malformed = predictions.malformed.count + labels.malformed.count;

      const keys = runReportKeys(model.name, 'quality', range.start);
      await store.put(
        keys.violations,
        `${stringifyReport({ violations: check?.violations ?? [] })}\n`,
        'application/json',
      );
      await store.put(
        keys.report,
        `${stringifyReport({
          ...qualityReport({
            runId,
            model: model.name,
            window: range,
            status,
            evaluation,
            constraints: resolved,
            check,
            minLabelled,
            violations,
            drift,
            estimate,
            predictions,
            labels,
            firstLabels,
            horizonHours,
            operational,
          }),
          ...(harm ? { harm: harmSummary(harm) } : {}),
        })}\n`,
        'application/json',
      );
      await deps.series.putMetrics(model.name, range.start, [
        ...qualityMetricPoints({
          problem: model.problemType,
          evaluation,
          estimate,
          predictions: predictionCount,
          drift,
          segmentFeature,
        }),
        ...operationalMetricPoints(operational),
        ...(harm
          ? [
              {
                feature: MODEL_LEVEL_FEATURE,
                metric: ERROR_EVIDENCE_METRIC,
                value: storableEvidence(harm.evidence),
              },
              {
                feature: MODEL_LEVEL_FEATURE,
                metric: 'estimate_evidence',
                value: storableEvidence(harm.estimateEvidence),
              },
            ]
          : []),
      ]);
      const finishedAt = deps.now();
      const checks = [...new Set(violations.map((v) => v.constraintCheckType))];
      if (operational.status === 'skipped' && model.endpoint && !deps.endpointMetrics) {
        logger.warn('operational checks skipped', { ...context, reason: operational.reason });
      }
      const { reportUri, eventPublished } = await recordFinishedRun(
        deps,
        {
          model: model.name,
          job: 'quality',
          runId,
          window,
          status,
          rows: predictionCount,
          malformed,
          quarantined: 0,
          violations,
          startedAt,
          finishedAt,
          summary: {
            predictions: predictionCount,
            labelled: evaluation.rows,
            unmatched: evaluation.unmatched,
            invalid: evaluation.invalid,
            repeatedLabels: { duplicates: firstLabels.duplicates, conflicts: firstLabels.conflicts },
            metrics,
            estimate: estimate && {
              accuracy: estimate.accuracy,
              precision: estimate.precision,
              recall: estimate.recall,
              f1: estimate.f1,
            },
            conceptDrift: {
              fed: drift.fed,
              streamLength: drift.streamLength,
              // drifts are few; DDM's warnings can be many, so they are counted
              detections: drift.detections.filter((d) => d.kind === 'drift').slice(0, 50),
              warnings: drift.detections.filter((d) => d.kind === 'warning').length,
            },
            constraintsSource: resolved.source,
            operational,
            violatedChecks: checks,
            ...(harm ? { harm: harmSummary(harm) } : {}),
          },
          cloudWatch: {
            // the estimate and the fairness gaps go to CloudWatch too, for the dashboard; per-segment figures stay in
            // the metric series (one CloudWatch metric per segment value would grow without bound)
            modelMetrics: {
              ...metrics,
              ...(estimate ? { estimated_accuracy: estimate.accuracy.value } : {}),
              ...(harm ? { [ERROR_EVIDENCE_METRIC]: storableEvidence(harm.evidence) } : {}),
              ...(evaluation.fairness
                ? {
                    demographic_parity_difference: evaluation.fairness.demographicParityDifference,
                    equal_opportunity_difference: evaluation.fairness.equalOpportunityDifference,
                  }
                : {}),
            },
          },
          // what labels say of harm, for the router's severity; without the error e-process a failed quality
          // constraint is still a confirmed loss
          evidence: {
            ...NO_EVIDENCE,
            ...harm?.context,
            confirmedLoss: harm?.context.confirmedLoss ?? (check?.violations.length ?? 0) > 0,
          },
        },
        context,
      );
      logger.info('quality run finished', {
        ...context,
        status,
        predictions: predictionCount,
        labelled: evaluation.rows,
        unmatched: evaluation.unmatched,
        detectorsFed: drift.fed,
        violations: violations.length,
        checks,
      });
      return {
        model: model.name,
        runId,
        window: range,
        status,
        predictions: predictionCount,
        labelled: evaluation.rows,
        unmatched: evaluation.unmatched,
        metrics,
        violations: violations.length,
        detectorsFed: drift.fed,
        reportUri,
        eventPublished,
      };
    } catch (error) {
      await recordFailedRun(
        deps,
        { model: model.name, job: 'quality', window, startedAt, finishedAt: deps.now(), summary: { runId } },
        error,
      );
      throw error;
    }
  };
};
