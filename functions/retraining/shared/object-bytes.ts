import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { ObjectStore } from '../../adapters/object-store.ts';

/** An object read whole, with the sha256 of its bytes as stored (before any gunzip). */
export interface ReadObject {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  /** the text, gunzipped when the bytes start with gzip's magic number */
  readonly text: string;
}

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/** Reads an object whole: retraining inputs are bounded by the step's memory (see prepare-data). */
export const readObject = async (store: ObjectStore, key: string): Promise<ReadObject> => {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.getStream(key)) chunks.push(Buffer.from(chunk));
  const raw = Buffer.concat(chunks);
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  return {
    key,
    bytes: raw.length,
    sha256: sha256Hex(raw),
    text: (gzipped ? gunzipSync(raw) : raw).toString('utf8'),
  };
};

/** the keys under a prefix in key order, leaving out folder markers */
export const listKeys = async (store: ObjectStore, prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) if (!info.key.endsWith('/')) keys.push(info.key);
  return keys;
};

/** one CSV record (RFC 4180): fields with a comma, quote or line break are quoted */
export const csvRow = (cells: readonly (string | number | boolean | null)[]): string =>
  cells
    .map((cell) => {
      const text = cell === null ? '' : String(cell);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',');

/** lines of a text, without a trailing empty one and without blank lines */
export const textLines = (text: string): string[] => text.split(/\r?\n/).filter((line) => line.trim() !== '');
