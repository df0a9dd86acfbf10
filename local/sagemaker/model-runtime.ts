import { parseCsvText } from '../../functions/engine/readers/csv-parser.ts';

/**
 * What the local SageMaker runs instead of containers: a Trainer turns a training job's channels into a
 * model artifact, a Scorer turns an artifact and input records into one output line per record (batch
 * transform with SplitType Line, and endpoint invocations). Both are plain objects, so `npm start` plugs a
 * real in-process learner and tests a tiny deterministic one.
 */

/** one object of a channel, as SageMaker would copy it to /opt/ml/input/data/<channel>/ */
export interface ChannelFile {
  /** the object key, below the channel's S3 prefix */
  readonly key: string;
  readonly body: Buffer;
}

export interface TrainingInput {
  readonly jobName: string;
  /** the training image the job names; a trainer may serve several and choose by it */
  readonly image: string;
  /** SageMaker passes hyperparameters as strings */
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly channels: Readonly<
    Record<string, { readonly contentType?: string; readonly files: readonly ChannelFile[] }>
  >;
  /**
   * A file in the job's output folder (`<S3OutputPath>/<job>/<file>`), beside where the artifact goes, or null:
   * how a trainer finds what data preparation left there (prepare-data's `encoder.json`).
   */
  readonly besideArtifact: (file: string) => Promise<Buffer | null>;
}

export interface Trainer {
  /**
   * Trains and returns the artifact, stored as `<output path>/<job>/output/model.tar.gz` (whatever bytes the
   * trainer returns: the local twin does not tar). Throwing fails the job with the error's message, as an
   * AlgorithmError does.
   */
  train(input: TrainingInput): Promise<Uint8Array | string>;
}

export interface ScoreInput {
  readonly modelName: string;
  readonly image: string;
  /** the bytes at the model's ModelDataUrl */
  readonly artifact: Buffer;
  readonly contentType: string;
  /** one record per element (a line of the transform input, or of an invocation's body) */
  readonly records: readonly string[];
}

export interface Scorer {
  /** Returns exactly one output line per record, its cells in the model's `outputs` order. */
  score(input: ScoreInput): Promise<readonly string[]>;
}

/** the CSV records of a channel file, blank lines left out: what most trainers start from */
export const csvRecords = (file: ChannelFile): string[][] =>
  parseCsvText(file.body.toString('utf8'), file.key)
    .map((record) => record.fields)
    .filter((fields) => !(fields.length === 1 && fields[0] === ''));
