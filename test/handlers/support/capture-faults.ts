import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../../functions/adapters/object-store.ts';
import type { SeattleRow } from './seattle.ts';

/** how a capture producer may get a record wrong */
export type CaptureFault = 'none' | 'extra-request-field' | 'no-response';

/** one SageMaker capture line of a seattle row, as a producer with `fault` writes it */
export const faultyLine = (r: SeattleRow, fault: CaptureFault = 'none'): string => {
  const request = [r.precipitation, r.temp_max, r.temp_min, r.wind];
  if (fault === 'extra-request-field') request.push('0.5');
  return `${JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'text/csv',
        mode: 'INPUT',
        data: request.join(','),
        encoding: 'CSV',
      },
      ...(fault === 'no-response'
        ? {}
        : {
            endpointOutput: {
              observedContentType: 'text/csv',
              mode: 'OUTPUT',
              data: r.weather,
              encoding: 'CSV',
            },
          }),
    },
    eventMetadata: { eventId: randomUUID(), inferenceTime: '2026-03-01T10:05:00Z' },
    eventVersion: '0',
  })}\n`;
};

/**
 * Writes one capture object per entry of `faults` under `hourPrefix` (`capture/<endpoint>/<variant>/yyyy/mm/dd/hh/`),
 * `perObject` rows each, named by the minute so they sort in order; returns their keys.
 */
export const writeFaultyObjects = async (
  store: ObjectStore,
  hourPrefix: string,
  rows: readonly SeattleRow[],
  faults: readonly CaptureFault[],
  perObject = 20,
): Promise<string[]> => {
  const keys: string[] = [];
  for (const [i, fault] of faults.entries()) {
    const key = `${hourPrefix}${String(i * 5).padStart(2, '0')}-00-000-${randomUUID()}.jsonl`;
    const slice = rows.slice(i * perObject, (i + 1) * perObject);
    await store.put(key, slice.map((r) => faultyLine(r, fault)).join(''), 'application/jsonlines');
    keys.push(key);
  }
  return keys;
};
