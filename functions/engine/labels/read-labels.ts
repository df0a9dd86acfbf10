import { InputError, type MalformedRecord } from '../errors.ts';
import { type ByteChunks, decodeMaybeGzip } from '../readers/byte-source.ts';
import { parseJsonLines } from '../readers/jsonl.ts';
import { resume } from '../readers/lookahead.ts';
import { sniffFormat } from '../readers/sniff.ts';
import { openTable } from '../readers/table.ts';
import { decodeUtf8 } from '../readers/text.ts';
import type { CaptureRow, CellValue, MalformedSink, Row } from '../readers/types.ts';
import { type LabelRecord, parseGroundTruthRecord } from './ground-truth.ts';

/** A prediction as the quality job needs it. */
export interface PredictionRecord {
  readonly id: string;
  /** the predicted class or value */
  readonly prediction: CellValue;
  /** probability of the positive class (binary problems) */
  readonly score?: number;
  /** the value of the segment feature, when one is asked for */
  readonly segment?: string;
}

export interface PredictionColumns {
  /** @default 'id' (capture: the record's inferenceId, else eventId) */
  readonly id?: string;
  /** @default 'prediction' */
  readonly prediction?: string;
  /** @default 'score' when present */
  readonly score?: string;
  readonly segment?: string;
}

const requireColumn = (columns: readonly string[], name: string, file: string): number => {
  const index = columns.indexOf(name);
  if (index === -1) {
    throw new InputError({ file, field: name }, `no column "${name}" (columns: ${columns.join(', ')})`);
  }
  return index;
};

const isCaptureRow = (row: Row): row is CaptureRow => 'capture' in row;

/**
 * Reads predictions from CSV / JSON Lines with columns `id`, `prediction` and optionally `score`, or from
 * SageMaker capture, where the id is the record's inferenceId (else eventId) and the output cell is the
 * prediction (and, being a number, the score). Yields one record per row, in file order.
 */
export async function* readPredictions(
  file: string,
  source: ByteChunks,
  options: { onMalformed: MalformedSink; columns?: PredictionColumns; names?: string[] },
): AsyncGenerator<PredictionRecord> {
  const table = await openTable(file, source, {
    onMalformed: options.onMalformed,
    schema: options.names ? { inputNames: options.names } : undefined,
  });
  const columns = options.columns ?? {};
  const capture = table.format === 'capture';
  const idIndex = capture ? -1 : requireColumn(table.columns, columns.id ?? 'id', file);
  const predictionName = columns.prediction ?? 'prediction';
  const predictionIndex = requireColumn(table.columns, predictionName, file);
  const scoreName = columns.score ?? (capture ? predictionName : 'score');
  const scoreIndex = table.columns.indexOf(scoreName);
  if (columns.score && scoreIndex === -1) requireColumn(table.columns, columns.score, file);
  const segmentIndex = columns.segment ? requireColumn(table.columns, columns.segment, file) : -1;
  for await (const row of table.rows) {
    const id =
      capture && isCaptureRow(row) ? (row.capture.inferenceId ?? row.capture.eventId) : row.values[idIndex];
    if (id === null || id === undefined || id === '') {
      options.onMalformed({ file, line: row.line, field: columns.id ?? 'id', reason: 'missing id' });
      continue;
    }
    const scoreCell = scoreIndex === -1 ? null : row.values[scoreIndex];
    const score =
      scoreCell === null || scoreCell === undefined || scoreCell === '' ? undefined : Number(scoreCell);
    if (score !== undefined && !Number.isFinite(score)) {
      options.onMalformed({
        file,
        line: row.line,
        field: scoreName,
        reason: `score ${JSON.stringify(scoreCell)} is not a number`,
      });
      continue;
    }
    const segment = segmentIndex === -1 ? undefined : String(row.values[segmentIndex] ?? '');
    yield { id: String(id), prediction: row.values[predictionIndex] ?? null, score, segment };
  }
}

/**
 * Reads labels from Model Monitor ground-truth JSONL (`groundTruthData`, joined on inferenceId or eventId),
 * or from CSV / JSON Lines with columns `id` and `label`. Malformed records go to `onMalformed`.
 */
export async function* readLabels(
  file: string,
  source: ByteChunks,
  options: { onMalformed: MalformedSink },
): AsyncGenerator<LabelRecord> {
  // a ground-truth file is JSON Lines to the table sniffer; its first line tells them apart
  const text = decodeUtf8(decodeMaybeGzip(source, file));
  const { head } = await sniffFormat(text);
  const replay = resume(head, text);
  if (head.join('').includes('"groundTruthData"')) {
    yield* readGroundTruth(file, replay, options.onMalformed);
    return;
  }
  const table = await openTable(file, replay, { onMalformed: options.onMalformed });
  const idIndex = requireColumn(table.columns, 'id', file);
  const labelIndex = requireColumn(table.columns, 'label', file);
  for await (const row of table.rows) {
    const id = row.values[idIndex];
    if (id === null || id === undefined || id === '') {
      options.onMalformed({ file, line: row.line, field: 'id', reason: 'missing id' });
      continue;
    }
    yield { line: row.line, id: String(id), label: row.values[labelIndex] ?? null };
  }
}

async function* readGroundTruth(file: string, source: ByteChunks, onMalformed: MalformedSink) {
  for await (const { line, value } of parseJsonLines(source, { file, onMalformed })) {
    try {
      yield parseGroundTruthRecord(value, { file, line });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const record: MalformedRecord = { file, line, field: error.location.field, reason: error.reason };
      onMalformed(record);
    }
  }
}
