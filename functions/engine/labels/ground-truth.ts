import { InputError } from '../errors.ts';
import { isPlainObject } from '../readers/json-rows.ts';
import { decodePayloadRows } from '../readers/payload.ts';
import type { CellValue } from '../readers/types.ts';

/** One label: the id it joins on and its value. */
export interface LabelRecord {
  readonly line: number;
  readonly id: string;
  readonly label: CellValue;
}

const FIELD = 'groundTruthData';
const ENCODINGS = new Set(['CSV', 'JSON', 'BASE64']);

/**
 * Reads one Model Monitor ground-truth record:
 * `{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"…"},"eventVersion":"0"}`.
 * It joins on `inferenceId` when present, else on `eventId`, as Model Monitor does. BASE64 data is read as
 * CSV text (ground truth carries no content type). Throws InputError naming the bad field.
 */
export const parseGroundTruthRecord = (value: unknown, at: { file: string; line: number }): LabelRecord => {
  const fail = (field: string, reason: string): never => {
    throw new InputError({ ...at, field }, reason);
  };
  if (!isPlainObject(value)) return fail(FIELD, 'a ground-truth record must be a JSON object');
  const data = value[FIELD];
  if (!isPlainObject(data)) return fail(FIELD, 'missing or not an object');
  const metadata = value.eventMetadata;
  if (!isPlainObject(metadata)) return fail('eventMetadata', 'missing or not an object');
  const inferenceId = metadata.inferenceId;
  const eventId = metadata.eventId;
  const id = typeof inferenceId === 'string' && inferenceId !== '' ? inferenceId : eventId;
  if (typeof id !== 'string' || id === '') return fail('eventMetadata.eventId', 'missing or not a string');
  if (typeof data.data !== 'string') return fail(`${FIELD}.data`, 'missing or not a string');
  if (typeof data.encoding !== 'string' || !ENCODINGS.has(data.encoding)) {
    return fail(
      `${FIELD}.encoding`,
      `unknown encoding ${JSON.stringify(data.encoding)} (expected CSV, JSON or BASE64)`,
    );
  }
  const { rows } = decodePayloadRows(
    {
      observedContentType: data.encoding === 'JSON' ? 'application/json' : 'text/csv',
      mode: 'OUTPUT',
      data: data.data,
      encoding: data.encoding as 'CSV' | 'JSON' | 'BASE64',
    },
    { ...at, field: FIELD },
  );
  const label = rows[0]?.[0];
  if (rows.length !== 1 || rows[0]!.length !== 1 || label === undefined) {
    return fail(
      `${FIELD}.data`,
      `expected one label, found ${rows.reduce((n, r) => n + r.length, 0)} values`,
    );
  }
  return { line: at.line, id, label };
};
