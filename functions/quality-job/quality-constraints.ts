import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RegistryRepository } from '../adapters/registry-repository.ts';
import { InputError } from '../engine/errors.ts';
import {
  loadQualityConstraints,
  type QualityConstraint,
  type QualityConstraints,
} from '../engine/quality/index.ts';
import {
  METRIC_NAMES,
  type ProblemType as MonitorProblem,
} from '../engine/quality/quality-constraints-format.ts';
import { readBaselinePointer } from '../handler-kit/baseline-pointer.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { ProblemType } from '../shared/config/vocabulary.ts';

/** Model Monitor's name of each problem type */
export const MONITOR_PROBLEM: Record<ProblemType, MonitorProblem> = {
  binary: 'BinaryClassification',
  multiclass: 'MulticlassClassification',
  regression: 'Regression',
};

/** a model-quality constraints.json (Model Monitor's format) next to the current data baseline, when there is one */
export const QUALITY_CONSTRAINTS_FILE = 'quality_constraints.json';

export type ConstraintsSource = 'config' | 'baseline-file' | 'champion-evaluation' | 'none';

export interface ResolvedConstraints {
  readonly source: ConstraintsSource;
  readonly constraints: QualityConstraints;
}

const fileName = (problem: MonitorProblem, key: string): string =>
  METRIC_NAMES[problem].find((n) => n.key === key)?.file ?? key;

/**
 * The model-quality constraints a window is checked against, first found wins:
 * 1. the config's `thresholds.quality` (metric names as model-care reports them);
 * 2. `quality_constraints.json` beside the current baseline's statistics (Model Monitor's format, e.g. imported
 *    from a Model Monitor baselining job);
 * 3. derived from the champion's holdout evaluation in the registry, as Model Monitor derives them from a
 *    baseline: each metric's value is its threshold (should-stay-high metrics alarm below it, errors above);
 * 4. none: metrics are computed and stored, nothing is checked.
 */
export const resolveQualityConstraints = async (deps: {
  readonly model: ModelConfig;
  readonly store: ObjectStore;
  readonly registry: RegistryRepository;
}): Promise<ResolvedConstraints> => {
  const { model } = deps;
  const problem = MONITOR_PROBLEM[model.problemType];
  const configured = Object.entries(model.thresholds.quality);
  if (configured.length > 0) {
    const constraints: QualityConstraint[] = configured.map(([key, c]) => ({
      metric: fileName(problem, key),
      key,
      threshold: c.threshold,
      operator: c.comparisonOperator,
    }));
    return { source: 'config', constraints: { problem, constraints, warnings: [] } };
  }

  const pointer = await readBaselinePointer(deps.store, model.name);
  if (pointer) {
    const key = pointer.statisticsKey.replace(/[^/]+$/, QUALITY_CONSTRAINTS_FILE);
    try {
      const json = await deps.store.getJson(key);
      const constraints = loadQualityConstraints(json, { file: key });
      if (constraints.problem === problem) return { source: 'baseline-file', constraints };
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError) && !(error instanceof InputError)) throw error;
    }
  }

  const champion = await deps.registry.getChampion(model.name);
  const evaluation = champion
    ? (await deps.registry.getVersion(model.name, champion.version))?.evaluation
    : undefined;
  if (evaluation) {
    const constraints = METRIC_NAMES[problem].flatMap((name): QualityConstraint[] => {
      const value = evaluation[name.key];
      if (value === undefined || !Number.isFinite(value) || !name.modelMonitor) return [];
      return [
        {
          metric: name.file,
          key: name.key,
          threshold: value,
          operator: name.direction === 'higher-is-better' ? 'LessThanThreshold' : 'GreaterThanThreshold',
        },
      ];
    });
    if (constraints.length > 0) {
      return { source: 'champion-evaluation', constraints: { problem, constraints, warnings: [] } };
    }
  }
  return { source: 'none', constraints: { problem, constraints: [], warnings: [] } };
};
