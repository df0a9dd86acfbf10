import { InputError } from '../errors.ts';
import { Adwin } from './adwin.ts';
import { Ddm } from './ddm.ts';
import { PageHinkley } from './page-hinkley.ts';

export type AnyDetector = Adwin | Ddm | PageHinkley;

/**
 * Restores whichever detector a stored state describes (by its `kind`), for handlers that keep one
 * state per model without knowing which method the user configured.
 */
export const restoreDetector = (state: unknown): AnyDetector => {
  const kind = typeof state === 'object' && state !== null ? (state as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'adwin':
      return Adwin.fromJSON(state);
    case 'ddm':
      return Ddm.fromJSON(state);
    case 'page-hinkley':
      return PageHinkley.fromJSON(state);
    default:
      throw new InputError(
        { file: '<detector state>', field: 'kind' },
        `expected "adwin", "ddm" or "page-hinkley", got ${JSON.stringify(kind)}`,
      );
  }
};
