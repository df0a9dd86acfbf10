import type { MalformedRecord } from '../errors.ts';

/**
 * One cell as a reader hands it to the profiler. `null` means missing (an empty CSV field,
 * a JSON null or an absent key). Strings keep their text: deciding whether "3.0" is a number
 * is the profiler's job, because type inference is part of the statistics.
 */
export type CellValue = string | number | boolean | null;

/** A row of cells aligned with the column names of the table it came from. */
export interface Row {
  /** 1-based line in the source file where the record starts */
  readonly line: number;
  readonly values: CellValue[];
}

/** Called for every record a reader had to skip; the reader then goes on with the next one. */
export type MalformedSink = (record: MalformedRecord) => void;

/** Identity of one SageMaker Data Capture record, kept to join predictions with labels. */
export interface CaptureMetadata {
  readonly eventId: string;
  readonly inferenceId?: string;
  /** ISO-8601 as written by the endpoint; not validated, SageMaker's own fixtures hold placeholders */
  readonly inferenceTime?: string;
  /** the request's `CustomAttributes` header as captured, opaque text (see parseCustomAttributes) */
  readonly customAttributes?: string;
}

/**
 * A row read from SageMaker Data Capture: the request's cells then the response's, with the
 * identity of the inference it came from, so labels can be joined to it later.
 */
export interface CaptureRow extends Row {
  readonly capture: CaptureMetadata;
}

/** True for a row that came from Data Capture and so carries its inference's identity. */
export const isCaptureRow = (row: Row): row is CaptureRow =>
  (row as Partial<CaptureRow>).capture !== undefined;
