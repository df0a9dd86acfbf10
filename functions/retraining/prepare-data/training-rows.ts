import type { ObjectStore } from '../../adapters/object-store.ts';
import { InputError } from '../../engine/errors.ts';
import type { LabelRecord } from '../../engine/labels/ground-truth.ts';
import { joinLabels } from '../../engine/labels/join-labels.ts';
import { type PredictionRecord, readLabels } from '../../engine/labels/read-labels.ts';
import { parseCsvText } from '../../engine/readers/csv-parser.ts';
import { looksLikeHeader, openTable } from '../../engine/readers/table.ts';
import { isCaptureRow } from '../../engine/readers/types.ts';
import type { ModelConfig } from '../../shared/config/model-schema.ts';
import { trainingLabel } from '../shared/labels.ts';
import { type ReadObject, readObject } from '../shared/object-bytes.ts';
import { featureProblem } from '../shared/training-encoder.ts';

/** one labelled example: the label as the channels hold it, then the features in config order */
export interface TrainingRow {
  readonly label: string;
  readonly features: readonly string[];
}

/** a source object as the manifest lists it */
export interface SourceEntry {
  readonly uri: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  readonly malformed: number;
}

export interface MalformedSample {
  readonly uri: string;
  readonly line?: number;
  readonly reason: string;
}

const SAMPLE_LIMIT = 20;

/** Collects what could not be used, keeping the first few for the manifest. */
export class Skipped {
  count = 0;
  readonly samples: MalformedSample[] = [];

  add(sample: MalformedSample): void {
    this.count += 1;
    if (this.samples.length < SAMPLE_LIMIT) this.samples.push(sample);
  }
}

const cellText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

const source = (text: string) =>
  (async function* () {
    yield text;
  })();

/**
 * Rows of a channel source: CSV, label first, then the features in config order (the sources' format, whatever
 * the channel is written as). A header row (detected as the engine's CSV reader does) is skipped; rows of the
 * wrong width, without a usable label or with a numerical feature that is not a number are counted and left out.
 */
export const readChannelSource = (
  model: ModelConfig,
  object: ReadObject,
  uri: string,
  skipped: Skipped,
): { rows: TrainingRow[]; entry: SourceEntry } => {
  const width = model.features.length + 1;
  const rows: TrainingRow[] = [];
  let bad = 0;
  let records: ReturnType<typeof parseCsvText>;
  try {
    records = parseCsvText(object.text, uri);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    skipped.add({ uri, reason: error.reason });
    return { rows, entry: { uri, sha256: object.sha256, bytes: object.bytes, records: 0, malformed: 1 } };
  }
  records.forEach((record, index) => {
    if (record.fields.length === 1 && record.fields[0] === '') return;
    if (index === 0 && looksLikeHeader(record.fields)) return;
    if (record.fields.length !== width) {
      bad += 1;
      skipped.add({
        uri,
        line: record.line,
        reason: `expected ${width} fields (label, ${model.features.map((f) => f.name).join(', ')}), found ${record.fields.length}`,
      });
      return;
    }
    const label = trainingLabel(model, record.fields[0] ?? null);
    if (label === undefined) {
      bad += 1;
      skipped.add({ uri, line: record.line, reason: 'no usable label in the first field' });
      return;
    }
    const features = record.fields.slice(1);
    const problem = featureProblem(model, features);
    if (problem) {
      bad += 1;
      skipped.add({ uri, line: record.line, reason: problem });
      return;
    }
    rows.push({ label, features });
  });
  return {
    rows,
    entry: { uri, sha256: object.sha256, bytes: object.bytes, records: rows.length, malformed: bad },
  };
};

interface CapturedFeatures {
  readonly features: string[];
  readonly inferenceTime?: string;
}

export interface LabelledCapture {
  readonly rows: TrainingRow[];
  readonly captureObjects: SourceEntry[];
  readonly groundTruthObjects: SourceEntry[];
  readonly capturedRecords: number;
  readonly labelledRecords: number;
  readonly unmatchedPredictions: number;
  readonly unmatchedLabels: number;
  readonly duplicateIds: number;
  /** earliest and latest inferenceTime among the labelled records, when the capture carries them */
  readonly firstInference: string | null;
  readonly lastInference: string | null;
}

/**
 * Recent capture joined with its ground truth by inferenceId (else eventId), through the engine's join:
 * each labelled inference becomes a training row of its request's features. Objects that cannot be read
 * are counted and left out, as the monitoring jobs do.
 */
export const readLabelledCapture = async (
  model: ModelConfig,
  store: ObjectStore,
  bucketUri: (key: string) => string,
  captureKeys: readonly string[],
  groundTruthKeys: readonly string[],
  skipped: Skipped,
): Promise<LabelledCapture> => {
  const featureNames = model.features.map((f) => f.name);
  const outputNames = model.outputs.map((o) => o.name);
  const byId = new Map<string, CapturedFeatures>();
  const predictions: PredictionRecord[] = [];
  const captureObjects: SourceEntry[] = [];
  let capturedRecords = 0;

  for (const key of captureKeys) {
    const uri = bucketUri(key);
    const object = await readObject(store, key);
    let records = 0;
    let bad = 0;
    try {
      const table = await openTable(uri, source(object.text), {
        format: 'capture',
        schema: { inputNames: featureNames, outputNames },
        onMalformed: (record) => {
          bad += 1;
          skipped.add({ uri, line: record.line, reason: record.reason });
        },
      });
      const slots = featureNames.map((name) => table.columns.indexOf(name));
      const missing = featureNames.filter((_, i) => slots[i] === -1);
      if (missing.length > 0) throw new InputError({ file: uri }, `no column for ${missing.join(', ')}`);
      for await (const row of table.rows) {
        if (!isCaptureRow(row)) continue;
        const id = row.capture.inferenceId ?? row.capture.eventId;
        byId.set(id, {
          features: slots.map((slot) => cellText(row.values[slot])),
          inferenceTime: row.capture.inferenceTime,
        });
        predictions.push({ id, prediction: null });
        records += 1;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      bad += 1;
      skipped.add({ uri, reason: error.reason });
    }
    capturedRecords += records;
    captureObjects.push({ uri, sha256: object.sha256, bytes: object.bytes, records, malformed: bad });
  }

  const groundTruthObjects: SourceEntry[] = [];
  const labels: LabelRecord[] = [];
  for (const key of groundTruthKeys) {
    const uri = bucketUri(key);
    const object = await readObject(store, key);
    let records = 0;
    let bad = 0;
    try {
      for await (const label of readLabels(uri, source(object.text), {
        onMalformed: (record) => {
          bad += 1;
          skipped.add({ uri, line: record.line, reason: record.reason });
        },
      })) {
        labels.push(label);
        records += 1;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      bad += 1;
      skipped.add({ uri, reason: error.reason });
    }
    groundTruthObjects.push({ uri, sha256: object.sha256, bytes: object.bytes, records, malformed: bad });
  }

  const joined = await joinLabels(predictions, labels);
  const rows: TrainingRow[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (const pair of joined.pairs) {
    const captured = byId.get(pair.id);
    const label = trainingLabel(model, pair.label);
    if (!captured || label === undefined) {
      skipped.add({ uri: `inference ${pair.id}`, reason: 'label is not usable for this problem type' });
      continue;
    }
    const problem = featureProblem(model, captured.features);
    if (problem) {
      skipped.add({ uri: `inference ${pair.id}`, reason: problem });
      continue;
    }
    rows.push({ label, features: captured.features });
    const at = captured.inferenceTime;
    if (at !== undefined && !Number.isNaN(Date.parse(at))) {
      if (first === null || at < first) first = at;
      if (last === null || at > last) last = at;
    }
  }
  return {
    rows,
    captureObjects,
    groundTruthObjects,
    capturedRecords,
    labelledRecords: rows.length,
    unmatchedPredictions: joined.unmatchedPredictions,
    unmatchedLabels: joined.unmatchedLabels,
    duplicateIds: joined.duplicateIds,
    firstInference: first,
    lastInference: last,
  };
};
