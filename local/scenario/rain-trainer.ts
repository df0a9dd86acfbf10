import {
  decodeFeatures,
  decodeLabel,
  splitCsvRecord,
} from '../../functions/retraining/shared/training-encoder.ts';
import { ENCODER_FILE } from '../../functions/retraining/shared/training-layout.ts';
import type { TrainingEncoder } from '../../functions/shared/retraining-contract.ts';
import { csvRecords, type Scorer, type Trainer, type TrainingInput } from '../sagemaker/model-runtime.ts';
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

/** the encoder prepare-data left beside the artifact, or null when the channel holds raw rows */
const encoderOf = async (input: TrainingInput): Promise<TrainingEncoder | null> => {
  const bytes = await input.besideArtifact(ENCODER_FILE);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as TrainingEncoder) : null;
};

/** one written record back as the label and the features the endpoint receives */
const example = (encoder: TrainingEncoder | null, fields: readonly string[]): LabelledExample => {
  if (!encoder) {
    const [label, ...features] = fields;
    return { features: parseRainFeatures(features), label: label === '1' ? 1 : 0 };
  }
  const { label, columns } = splitCsvRecord(encoder, fields);
  if (label === null) throw new Error('the rain trainer needs a label column (trainingData.labelColumn)');
  return {
    features: parseRainFeatures(decodeFeatures(encoder, columns)),
    label: decodeLabel(encoder, label) === '1' ? 1 : 0,
  };
};

/**
 * What the local SageMaker runs for the rain model: training reads the `train` channel as prepare-data writes it
 * (CSV in SageMaker's built-in convention: label first, no header, numbers only, the season one-hot encoded) and
 * the encoder.json prepare-data saved beside the artifact, decodes each record back into the request's features,
 * and returns the model as JSON; scoring answers one probability per request line (the raw request, as the
 * endpoint receives it). This is the part a real SageMaker training image and inference container would do.
 */
export const rainTrainer: Trainer = {
  async train(input) {
    const channel = input.channels.train;
    if (!channel) throw new Error('the rain trainer needs a "train" channel');
    const encoder = await encoderOf(input);
    if (encoder?.header) throw new Error('the rain trainer reads CSV without a header (trainingData.header)');
    const examples = channel.files.flatMap(csvRecords).map((fields) => example(encoder, fields));
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
