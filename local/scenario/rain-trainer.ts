import { csvRecords, type Scorer, type Trainer } from '../sagemaker/model-runtime.ts';
import { type LabelledExample, type RainFeatures, RainModel, SEASONS, type Season } from './rain-model.ts';

const isSeason = (value: string): value is Season => (SEASONS as readonly string[]).includes(value);

/** one CSV record `temp_max,temp_min,wind,season` (the endpoint's request) as model features */
export const parseRainFeatures = (fields: readonly string[]): RainFeatures => {
  const [tempMax, tempMin, wind, season] = fields;
  if (fields.length !== 4 || season === undefined || !isSeason(season)) {
    throw new Error(`expected temp_max,temp_min,wind,season, got "${fields.join(',')}"`);
  }
  return [Number(tempMax), Number(tempMin), Number(wind), season];
};

/**
 * What the local SageMaker runs for the rain model: training reads the `train` channel (CSV, label first,
 * no header, as prepare-data writes it) and returns the model as JSON; scoring answers one probability per
 * request line. This is the part a real SageMaker training image and inference container would do.
 */
export const rainTrainer: Trainer = {
  async train(input) {
    const channel = input.channels.train;
    if (!channel) throw new Error('the rain trainer needs a "train" channel');
    const examples: LabelledExample[] = channel.files.flatMap(csvRecords).map(([label, ...features]) => ({
      features: parseRainFeatures(features),
      label: label === '1' ? 1 : 0,
    }));
    return JSON.stringify(RainModel.train(examples).toJSON());
  },
};

export const rainScorer: Scorer = {
  async score(input) {
    const model = RainModel.fromJSON(JSON.parse(input.artifact.toString('utf8')));
    const rows = input.records.map((line) => parseRainFeatures(line.split(',')));
    return model.score(rows).map((p) => p.toFixed(6));
  },
};
