import {
  type ChannelFile,
  csvRecords,
  type Scorer,
  type Trainer,
} from '../../../../local/sagemaker/model-runtime.ts';

/**
 * A tiny deterministic model for the retraining tests: a logistic score over the numeric features,
 * `sigmoid(w . x + b)`. The trainer is deliberately simple, a threshold on the first feature only (both
 * directions tried, the most accurate on the training data kept), so its quality is controlled through the
 * training data: it learns labels that follow x1, and falls behind a champion that uses x1 and x2 when the
 * labels follow both. It refuses data with fewer than 10 rows or a single class, as real learners do.
 */
export interface LinearArtifact {
  readonly kind: 'linear';
  readonly weights: readonly number[];
  readonly bias: number;
}

const STEEPNESS = 6;

export const linearArtifact = (weights: readonly number[], bias = 0): string =>
  JSON.stringify({ kind: 'linear', weights, bias } satisfies LinearArtifact);

const rowsOf = (files: readonly ChannelFile[]) =>
  files.flatMap(csvRecords).map((fields) => ({
    label: Number(fields[0]),
    x: fields.slice(1).map(Number),
  }));

export const thresholdTrainer = (featureCount: number): Trainer & { jobs: string[] } => {
  const jobs: string[] = [];
  return {
    jobs,
    async train(input) {
      jobs.push(input.jobName);
      const rows = rowsOf(input.channels.train?.files ?? []);
      if (rows.length < 10) throw new Error(`need at least 10 rows, got ${rows.length}`);
      if (new Set(rows.map((r) => r.label)).size < 2) throw new Error('training data holds one class only');
      const values = [...new Set(rows.map((r) => r.x[0] ?? 0))].sort((a, b) => a - b);
      let best = { accuracy: -1, threshold: 0, sign: 1 };
      for (const threshold of values) {
        for (const sign of [1, -1]) {
          const correct = rows.filter(
            (r) => Number(sign * ((r.x[0] ?? 0) - threshold) > 0) === r.label,
          ).length;
          const accuracy = correct / rows.length;
          if (accuracy > best.accuracy) best = { accuracy, threshold, sign };
        }
      }
      const weights = Array.from({ length: featureCount }, (_, i) => (i === 0 ? best.sign * STEEPNESS : 0));
      return linearArtifact(weights, -best.sign * STEEPNESS * best.threshold);
    },
  };
};

export const linearScorer = (): Scorer => ({
  async score(input) {
    const model = JSON.parse(input.artifact.toString('utf8')) as LinearArtifact;
    if (model.kind !== 'linear') throw new Error(`not a linear artifact: ${input.modelName}`);
    return input.records.map((record) => {
      const x = record.split(',').map(Number);
      const z = model.weights.reduce((sum, w, i) => sum + w * (x[i] ?? 0), model.bias);
      return (1 / (1 + Math.exp(-z))).toFixed(6);
    });
  },
});
