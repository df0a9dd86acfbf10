import type { CaptureSources } from '../adapters/capture-source.ts';
import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { MetricRepository } from '../adapters/metric-repository.ts';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository, RunStatus } from '../adapters/run-repository.ts';
import type { WorkflowStarter } from '../adapters/workflow-starter.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import type { WindowRange } from '../shared/events.ts';

/** What the data job works with (ports, injected) and what it returns; the fan-out's reducer shares both. */

export interface DataJobDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  /** the capture store: capture/, baselines/, profiles/, reports/, quarantine/ */
  readonly store: ObjectStore;
  readonly bucket: string;
  /** where each model's capture is read (capture-source.ts); @default the stack store's `capture/` */
  readonly captureSources?: CaptureSources;
  readonly runs: RunRepository;
  readonly series: MetricRepository;
  readonly events: EventPublisher;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /**
   * where each (model, feature) keeps its sequential evidence between runs, and the model's harm state is read
   * from; @default - no sequential verdicts
   */
  readonly verdictStates?: DetectorStateRepository;
  /** fewer values than this in a sample: reported, not judged; @default the engine's (30) */
  readonly minSamples?: number;
  /** windows with more capture bytes than `thresholdBytes` go to the fan-out state machine; absent: never */
  readonly fanOut?: {
    readonly starter: WorkflowStarter;
    readonly stateMachineArn: string;
    readonly thresholdBytes: number;
  };
}

export interface DataJobResult {
  readonly model: string;
  readonly runId: string;
  readonly window: WindowRange;
  /** `fanned-out`: the window went to the fan-out state machine, whose reducer records the run */
  readonly status: RunStatus | 'fanned-out';
  readonly rows: number;
  readonly malformed: number;
  readonly quarantined: number;
  readonly violations: number;
  /** s3:// URI of constraint_violations.json; null when the run failed before writing it */
  readonly reportUri: string | null;
  readonly eventPublished: boolean;
}
