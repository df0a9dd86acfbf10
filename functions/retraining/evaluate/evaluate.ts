import type { StoreFor } from '../../adapters/object-store.ts';
import type { LabelRecord } from '../../engine/labels/ground-truth.ts';
import { joinLabels } from '../../engine/labels/join-labels.ts';
import type { PredictionRecord } from '../../engine/labels/read-labels.ts';
import { evaluateQuality, type QualityEvaluation } from '../../engine/quality/evaluate-quality.ts';
import { parseCsvText } from '../../engine/readers/csv-parser.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { primaryMetric } from '../../shared/config/model-settings.ts';
import { LOWER_IS_BETTER, QUALITY_METRICS } from '../../shared/config/vocabulary.ts';
import type { EvaluateResult } from '../../shared/retraining-contract.ts';
import { parseS3Uri } from '../../shared/s3-uri.ts';
import { trainingLabel } from '../shared/labels.ts';
import { listKeys, readObject } from '../shared/object-bytes.ts';
import {
  executionRefSchema,
  parseStepInput,
  preparedDataSchema,
  type RetrainableModel,
  trainingResultSchema,
} from '../shared/step-input.ts';
import { trainingLayout } from '../shared/training-layout.ts';

export interface EvaluateDeps {
  readonly storeFor: StoreFor;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/** a batch transform's output does not line up with the holdout it scored */
export class TransformOutputError extends Error {
  override readonly name = 'TransformOutputError';
}

interface Scored {
  readonly metrics: Record<string, number> | null;
  readonly rows: number;
  readonly invalid: number;
  /** why there are no metrics */
  readonly problem?: string;
}

const records = (text: string, file: string): string[][] =>
  parseCsvText(text, file)
    .map((record) => record.fields)
    .filter((fields) => !(fields.length === 1 && fields[0] === ''));

/** the figures of QUALITY_METRICS for the problem type, finite ones only (JSON has no NaN) */
const namedMetrics = (model: RetrainableModel, evaluation: QualityEvaluation): Record<string, number> => {
  const all = evaluation.metrics as unknown as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const name of QUALITY_METRICS[model.problemType]) {
    const value = all[name];
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  }
  return out;
};

/**
 * One output line per holdout line, its cells in `model.outputs` order (as the endpoint answers). Binary
 * models are judged on their score; one that returns only a label scores 1 for the positive class.
 */
const predictionOf = (model: RetrainableModel, cells: readonly string[], id: string): PredictionRecord => {
  const at = (role: 'prediction' | 'score') => {
    const index = model.outputs.findIndex((o) => o.role === role);
    return index === -1 ? undefined : cells[index];
  };
  const prediction = at('prediction') ?? null;
  if (model.problemType === 'binary') {
    const scoreCell = at('score');
    const score =
      scoreCell !== undefined && scoreCell !== ''
        ? Number(scoreCell)
        : prediction !== null
          ? Number(trainingLabel(model, prediction) === '1')
          : undefined;
    return { id, prediction, score: score !== undefined && Number.isFinite(score) ? score : undefined };
  }
  return { id, prediction };
};

/** the metrics of one side's predictions against the holdout labels, or why there are none */
const score = async (
  model: RetrainableModel,
  outputs: string[][] | string,
  labels: readonly string[],
): Promise<Scored> => {
  if (typeof outputs === 'string') return { metrics: null, rows: 0, invalid: 0, problem: outputs };
  if (outputs.length !== labels.length) {
    return {
      metrics: null,
      rows: 0,
      invalid: 0,
      problem: `${outputs.length} prediction line(s) for ${labels.length} holdout label(s)`,
    };
  }
  const predictions = outputs.map((cells, i) => predictionOf(model, cells, String(i)));
  const labelRecords: LabelRecord[] = labels.map((label, i) => ({ line: i + 1, id: String(i), label }));
  const evaluation = evaluateQuality(await joinLabels(predictions, labelRecords), model.problemType, {
    threshold: model.decisionThreshold,
  });
  return { metrics: namedMetrics(model, evaluation), rows: evaluation.rows, invalid: evaluation.invalid };
};

const fmt = (value: number): string => (Math.abs(value) >= 1000 ? value.toFixed(1) : value.toFixed(4));
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${fmt(value)}`;

/**
 * Judges the challenger against the champion on the same holdout: the batch transforms' outputs joined line
 * by line with the holdout labels, metrics from the engine (scikit-learn's definitions), the primary metric
 * compared sign-adjusted (positive is better). promote when better by at least `minImprovement` and approval
 * is auto; needs-approval when better and approval is manual; reject otherwise, or when the challenger gave
 * no usable predictions. Without a champion a usable challenger counts as better. The figures are kept in
 * `evaluation.json` beside the training data.
 */
export const makeEvaluateHandler = (deps: EvaluateDeps) => {
  const { storeFor, logger } = deps;

  const readText = async (uri: string): Promise<string> => {
    const { bucket, key } = parseS3Uri(uri);
    return (await readObject(storeFor(bucket), key)).text;
  };

  /** the output lines of a transform, file by file in the order of the holdout input files */
  const outputLines = async (inputUri: string, outputUri: string): Promise<string[][] | string> => {
    const input = parseS3Uri(inputUri);
    const output = parseS3Uri(outputUri);
    const inputs = await listKeys(storeFor(input.bucket), input.key);
    const lines: string[][] = [];
    for (const key of inputs) {
      // batch transform names each output after its input, relative to the input prefix's folder
      const relative = key.slice(input.key.lastIndexOf('/') + 1);
      const outKey = `${output.key}${output.key === '' || output.key.endsWith('/') ? '' : '/'}${relative}.out`;
      const store = storeFor(output.bucket);
      if (!(await store.exists(outKey))) return `no transform output s3://${output.bucket}/${outKey}`;
      for (const cells of records((await readObject(store, outKey)).text, outKey)) lines.push(cells);
    }
    return lines;
  };

  return async (event: unknown): Promise<EvaluateResult> => {
    const { model, execution, data, training } = parseStepInput(
      'evaluate',
      { execution: executionRefSchema, data: preparedDataSchema, training: trainingResultSchema },
      event,
    );
    const retraining = model.retraining;
    const metric = primaryMetric(model);
    const labels = records(await readText(data.holdout.labelsUri), data.holdout.labelsUri).map(
      (fields) => fields[0] ?? '',
    );

    const challenger = await score(
      model,
      await outputLines(data.holdout.inputUri, data.holdout.challengerOutputUri),
      labels,
    );
    let champion: Scored | null = null;
    if (data.championModelName !== null) {
      champion = await score(
        model,
        await outputLines(data.holdout.inputUri, data.holdout.championOutputUri),
        labels,
      );
      if (champion.metrics === null) {
        throw new TransformOutputError(`evaluate: champion ${data.championModelName}: ${champion.problem}`);
      }
    }

    const result = decide(model, metric, challenger, champion, labels.length, retraining);
    const { bucket } = parseS3Uri(data.holdout.labelsUri);
    await storeFor(bucket).put(
      trainingLayout(model.name, data.jobName).evaluationKey,
      `${JSON.stringify(
        {
          model: model.name,
          execution,
          jobName: data.jobName,
          trainingJobName: training.trainingJobName,
          evaluatedAt: deps.now().toISOString(),
          holdoutRecords: labels.length,
          championModelName: data.championModelName,
          championVersion: data.championVersion,
          challengerRows: challenger.rows,
          challengerInvalid: challenger.invalid,
          ...result,
        },
        null,
        2,
      )}\n`,
      'application/json',
    );
    logger.info('challenger evaluated', {
      model: model.name,
      jobName: data.jobName,
      decision: result.decision,
      summary: result.summary,
    });
    return result;
  };
};

const decide = (
  model: RetrainableModel,
  metric: string,
  challenger: Scored,
  champion: Scored | null,
  holdout: number,
  retraining: RetrainableModel['retraining'],
): EvaluateResult => {
  const challengerValue = challenger.metrics?.[metric];
  const base = {
    primaryMetric: metric,
    challenger: challenger.metrics ?? {},
    champion: champion?.metrics ?? null,
  };
  const better = retraining.approval === 'auto' ? 'promote' : 'needs-approval';
  if (challengerValue === undefined) {
    const why =
      challenger.problem ?? `${metric} is not defined on its predictions (${challenger.invalid} invalid)`;
    return {
      ...base,
      decision: 'reject',
      improvement: null,
      summary: `${model.name}: challenger rejected: no usable ${metric} on the ${holdout}-record holdout: ${why}`,
    };
  }
  const championValue = champion?.metrics?.[metric];
  if (championValue === undefined) {
    const versus = champion ? `the champion's ${metric} is not defined` : 'no champion to compare';
    return {
      ...base,
      decision: better,
      improvement: null,
      summary: `${model.name}: challenger ${metric} ${fmt(challengerValue)} on ${holdout} holdout records (${versus}): ${better}`,
    };
  }
  const improvement = LOWER_IS_BETTER.has(metric)
    ? championValue - challengerValue
    : challengerValue - championValue;
  const decision = improvement > 0 && improvement >= retraining.minImprovement ? better : 'reject';
  return {
    ...base,
    decision,
    improvement,
    summary:
      `${model.name}: challenger ${metric} ${fmt(challengerValue)} vs champion ${fmt(championValue)} ` +
      `(${signed(improvement)}, needs > 0 and >= ${fmt(retraining.minImprovement)}) on ${holdout} holdout records: ${decision}`,
  };
};
