import { readHourlyProfile } from '../../functions/data-job/hourly-profile.ts';
import { summarizeProfile } from '../../functions/engine/baseline/feature-summary.ts';
import type { StatisticsFile } from '../../functions/engine/baseline/model-monitor-schema.ts';
import type { DriftReport } from '../../functions/engine/report/drift-report.ts';
import { featureDistributions } from '../../functions/engine/report/feature-distributions.ts';
import type {
  AlertSummary,
  FeatureDistributions,
  ModelVersionSummary,
  RetrainingSummary,
  RunSummary,
  TimelineEvent,
  WindowSummary,
} from '../../functions/engine/report/run-summary.ts';
import type { DatasetVerdict } from '../../functions/engine/verdicts/dataset-verdict.ts';
import { readBaselinePointer } from '../../functions/handler-kit/baseline-pointer.ts';
import type { LocalWorld } from '../runtime/local-world.ts';
import type { ScenarioOptions } from './scenario-options.ts';

const HOUR_MS = 3_600_000;

interface SummaryContext {
  readonly model: string;
  readonly start: Date;
  readonly options: ScenarioOptions;
  readonly timeline: TimelineEvent[];
  readonly note: (kind: TimelineEvent['kind'], text: string, hour?: number) => void;
}

const hourOf = (start: Date, iso: string): number =>
  Math.floor((Date.parse(iso) - start.getTime()) / HOUR_MS);

const numbersOf = (record: unknown): Record<string, number> =>
  Object.fromEntries(
    Object.entries((record ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
    ),
  );

/**
 * Reads back what the run left in the emulators (run records, reports, the registry, the baseline and the last
 * hourly profile) and what the local sinks saw (alerts, executions), and tells it as a RunSummary with a
 * timeline: when drift began, when it was detected, alerts, retraining, promotion and recovery.
 */
export const collectSummary = async (world: LocalWorld, context: SummaryContext): Promise<RunSummary> => {
  const { model, start, options } = context;
  const end = new Date(start.getTime() + options.hours * HOUR_MS);
  const runs = world.repositories.runs;
  const dataRuns = await runs.listRuns(model, 'data', start, end);
  const qualityRuns = new Map(
    (await runs.listRuns(model, 'quality', start, end)).map((run) => [hourOf(start, run.windowStart), run]),
  );
  const outcomes = await Promise.all(world.executions);
  const champions = await championTimeline(world, model, start, outcomes);

  const windows: WindowSummary[] = [];
  let verdicts: RunSummary['verdicts'];
  for (const run of dataRuns) {
    const hour = hourOf(start, run.windowStart);
    const report = run.reportKey
      ? ((await world.store.getJson(`${run.reportKey}report.json`).catch(() => undefined)) as
          | DriftReport
          | undefined)
      : undefined;
    const quality = qualityRuns.get(hour)?.summary as
      | {
          metrics?: Record<string, unknown>;
          estimate?: Record<string, unknown>;
          labelled?: number;
          harm?: { evidence?: number; tolerance?: unknown };
        }
      | undefined;
    const sequential = (report as (DriftReport & { sequential?: DatasetVerdict }) | undefined)?.sequential;
    if (sequential) verdicts = { alpha: sequential.alpha, relevance: sequential.relevance };
    const metrics = numbersOf(quality?.metrics);
    windows.push({
      hour,
      start: run.windowStart,
      rows: run.rowCount,
      status: report?.dataset.status ?? (run.status === 'no-data' ? 'no-data' : 'ok'),
      driftedShare: report?.dataset.driftedShare ?? 0,
      drifted: report?.dataset.drifted ?? false,
      modelVersion: champions.versionAt(hour),
      features: Object.fromEntries(
        (report?.features ?? []).map((f) => [
          f.name,
          { method: f.method, score: f.pValue ?? f.statistic ?? null, drifted: f.drifted },
        ]),
      ),
      violations: run.violationCount,
      ...(quality?.labelled && Object.keys(metrics).length > 0 ? { quality: metrics } : {}),
      ...(typeof quality?.estimate?.accuracy === 'number'
        ? { estimatedAccuracy: quality.estimate.accuracy }
        : {}),
      ...(sequential
        ? { evidence: Object.fromEntries(sequential.features.map((f) => [f.name, f.evidence])) }
        : {}),
      ...(quality?.harm?.tolerance && typeof quality.harm.evidence === 'number'
        ? { errorEvidence: quality.harm.evidence }
        : {}),
    });
  }

  const alerts: AlertSummary[] = world.notifier.delivered.map((a) => ({
    hour: hourOf(start, a.at) - 1,
    severity: a.severity,
    check: a.check,
    subject: a.subject,
  }));
  const retraining: RetrainingSummary[] = outcomes.map((o) => {
    const output = o.output;
    const status =
      o.status !== 'SUCCEEDED'
        ? output?.rollback
          ? 'rolled-back'
          : 'failed'
        : output?.lock && !output.lock.acquired
          ? 'skipped'
          : output?.outcome?.status === 'champion'
            ? 'promoted'
            : 'rejected';
    return {
      startedHour: hourOf(start, o.startTime) - 1,
      status,
      ...(output?.version ? { challengerVersion: output.version.version } : {}),
      detail: output?.evaluation?.summary ?? output?.lock?.reason ?? o.cause ?? o.status,
    };
  });

  narrate(context, windows, retraining);
  return {
    formatVersion: 1,
    scenario: {
      dataset: 'seattle-weather (vega-datasets)',
      hours: options.hours,
      driftAt: options.driftAt,
      seed: options.seed,
      requestsPerHour: options.requestsPerHour,
    },
    windows,
    distributions: await distributions(world, model, dataRuns.at(-1)?.windowStart),
    alerts,
    versions: champions.versions,
    retraining,
    timeline: [...context.timeline].sort((a, b) => a.hour - b.hour),
    ...(verdicts ? { verdicts } : {}),
  };
};

/** which version served when: v1 from hour 0, each promoted challenger from the hour its execution ended */
const championTimeline = async (
  world: LocalWorld,
  model: string,
  start: Date,
  outcomes: Awaited<LocalWorld['executions'][number]>[],
) => {
  const registry = world.repositories.registry;
  const champion = await registry.getChampion(model);
  const promotions = outcomes
    .filter((o) => o.status === 'SUCCEEDED' && o.output?.outcome?.status === 'champion')
    .map((o) => ({ version: o.output!.outcome!.version, hour: hourOf(start, o.stopTime) }));
  const versions: ModelVersionSummary[] = (await registry.listVersions(model)).map((v) => {
    const promoted = promotions.find((p) => p.version === v.version);
    const rejected = outcomes.some(
      (o) => o.output?.outcome?.version === v.version && o.output.outcome.status !== 'champion',
    );
    return {
      version: v.version,
      servingFromHour: v.version === 1 ? 0 : (promoted?.hour ?? -1),
      metrics: numbersOf(v.evaluation),
      status: champion?.version === v.version ? 'champion' : rejected ? 'rejected' : 'retired',
    };
  });
  return {
    versions,
    versionAt: (hour: number) =>
      promotions.filter((p) => p.hour <= hour).reduce((current, p) => Math.max(current, p.version), 1),
  };
};

/** the timeline's derived events: first detection after the drift, promotions, recovery of quality */
const narrate = (
  context: SummaryContext,
  windows: WindowSummary[],
  retraining: RetrainingSummary[],
): void => {
  const { options, note } = context;
  const detected = windows.find((w) => w.drifted && (options.driftAt === null || w.hour >= options.driftAt));
  if (detected) {
    const drifted = Object.entries(detected.features)
      .filter(([, f]) => f.drifted)
      .map(([name]) => name);
    note(
      'drift-detected',
      `dataset drift: ${drifted.join(', ')} (share ${detected.driftedShare.toFixed(2)})`,
      detected.hour,
    );
  }
  for (const run of retraining) {
    note(
      run.status === 'promoted' ? 'promotion' : 'retraining',
      `retraining ${run.status}${run.challengerVersion ? ` (v${run.challengerVersion})` : ''}: ${run.detail}`,
      run.startedHour,
    );
  }
  const promotedAt = retraining.find((r) => r.status === 'promoted')?.startedHour;
  const before = windows.filter(
    (w) => w.quality?.accuracy !== undefined && (options.driftAt === null || w.hour < options.driftAt),
  );
  if (promotedAt !== undefined && before.length > 0) {
    const reference = before.reduce((sum, w) => sum + w.quality!.accuracy!, 0) / before.length;
    const recovered = windows.find(
      (w) =>
        w.hour > promotedAt && w.quality?.accuracy !== undefined && w.quality.accuracy >= reference - 0.05,
    );
    if (recovered) {
      note(
        'recovery',
        `accuracy ${recovered.quality!.accuracy!.toFixed(3)} back within 0.05 of its pre-drift ${reference.toFixed(3)}`,
        recovered.hour,
      );
    }
  }
};

/** baseline vs the last window, on the baseline's own buckets (numbers) or categories */
const distributions = async (
  world: LocalWorld,
  model: string,
  lastWindow?: string,
): Promise<FeatureDistributions[]> => {
  const pointer = await readBaselinePointer(world.store, model);
  if (!pointer || !lastWindow) return [];
  const statistics = (await world.store.getJson(pointer.statisticsKey)) as StatisticsFile;
  const hourly = await readHourlyProfile(world.store, model, new Date(lastWindow));
  // the same buckets as the per-check page (functions/engine/report/feature-distributions.ts)
  const current = hourly?.profile ? summarizeProfile(hourly.profile) : { rows: 0, features: [] };
  return featureDistributions(statistics, current);
};
