import type { ObjectStore } from '../adapters/object-store.ts';

/** The dataset URI names no object, and no object lies below it. */
export class DatasetNotFoundError extends Error {
  override readonly name = 'DatasetNotFoundError';
  constructor(readonly uri: string) {
    super(`no dataset at ${uri}: neither an object nor a prefix with objects`);
  }
}

/** Spark and Hadoop markers (`_SUCCESS`, `.crc`) and folder placeholders are not data */
const isDataKey = (key: string): boolean => {
  if (key.endsWith('/')) return false;
  const name = key.slice(key.lastIndexOf('/') + 1);
  return !name.startsWith('_') && !name.startsWith('.');
};

/**
 * The objects of a dataset URI's key: the object itself when it exists, else every data object below it as a
 * prefix, in key order (the order a re-run reads them in, so the baseline is the same).
 */
export const datasetKeys = async (store: ObjectStore, key: string, uri: string): Promise<string[]> => {
  if (key !== '' && !key.endsWith('/') && (await store.exists(key))) return [key];
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const keys: string[] = [];
  for await (const info of store.list(prefix)) if (isDataKey(info.key)) keys.push(info.key);
  if (keys.length === 0) throw new DatasetNotFoundError(uri);
  return keys;
};
