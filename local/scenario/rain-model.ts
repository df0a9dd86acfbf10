import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';

/**
 * The model the local scenario serves: will it rain today (precipitation > 0) in Seattle, from the day's
 * temperatures, wind and season. A logistic regression (ml-logistic-regression) on standardised numbers and
 * a one-hot season, trained in-process in about a second, so `npm start` retrains for real.
 */
export const FEATURE_NAMES = ['temp_max', 'temp_min', 'wind', 'season'] as const;
export const SEASONS = ['winter', 'spring', 'summer', 'autumn'] as const;
export type Season = (typeof SEASONS)[number];

/** one request to the endpoint, in FEATURE_NAMES order */
export type RainFeatures = readonly [tempMax: number, tempMin: number, wind: number, season: Season];

export interface LabelledExample {
  readonly features: RainFeatures;
  /** 1 when it rained */
  readonly label: 0 | 1;
}

export interface RainModelJson {
  readonly kind: 'rain-logistic-regression';
  readonly means: number[];
  readonly scales: number[];
  readonly classifier: unknown;
  readonly trainedOn: number;
}

export const seasonOf = (month: number): Season =>
  month === 12 || month <= 2 ? 'winter' : month <= 5 ? 'spring' : month <= 8 ? 'summer' : 'autumn';

const NUMERIC = 3;
const STEPS = 1500;

export class RainModel {
  private constructor(
    private readonly json: RainModelJson,
    private readonly classifier: LogisticRegression,
  ) {}

  static train(examples: readonly LabelledExample[]): RainModel {
    if (examples.length < 20)
      throw new RangeError(`need at least 20 labelled examples, got ${examples.length}`);
    if (new Set(examples.map((e) => e.label)).size < 2)
      throw new RangeError('training data holds one class only');
    const means: number[] = [];
    const scales: number[] = [];
    for (let j = 0; j < NUMERIC; j++) {
      const values = examples.map((e) => e.features[j] as number);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
      means.push(mean);
      scales.push(sd);
    }
    const design = new Matrix(examples.map((e) => encode(e.features, means, scales)));
    const target = Matrix.columnVector(examples.map((e) => e.label));
    // ml-logistic-regression ascends the summed (not mean) gradient, so the step shrinks with n
    const classifier = new LogisticRegression({ numSteps: STEPS, learningRate: 0.5 / examples.length });
    classifier.train(design, target);
    return new RainModel(
      {
        kind: 'rain-logistic-regression',
        means,
        scales,
        classifier: classifier.toJSON(),
        trainedOn: examples.length,
      },
      classifier,
    );
  }

  static fromJSON(json: RainModelJson): RainModel {
    if (json.kind !== 'rain-logistic-regression') throw new Error(`not a rain model: ${String(json.kind)}`);
    return new RainModel(json, LogisticRegression.load(json.classifier));
  }

  /** probability of rain for each request */
  score(rows: readonly RainFeatures[]): number[] {
    if (rows.length === 0) return [];
    const design = new Matrix(rows.map((r) => encode(r, this.json.means, this.json.scales)));
    // one-vs-all: classifier 0 separates class 0 (mapped to 0) from the rest (mapped to 1), so its score is P(rain)
    return this.classifier.classifiers[0]!.testScores(design);
  }

  toJSON(): RainModelJson {
    return this.json;
  }
}

const encode = (features: RainFeatures, means: number[], scales: number[]): number[] => {
  const row = [1];
  for (let j = 0; j < NUMERIC; j++) row.push(((features[j] as number) - means[j]!) / scales[j]!);
  for (const season of SEASONS) row.push(features[3] === season ? 1 : 0);
  return row;
};
