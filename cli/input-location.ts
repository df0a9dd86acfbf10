import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ObjectNotFoundError } from '../functions/adapters/errors.ts';
import type { ObjectStore } from '../functions/adapters/object-store.ts';
import { makeS3ObjectStore } from '../functions/adapters/s3/s3-object-store.ts';
import { InputError } from '../functions/engine/errors.ts';
import { decodeMaybeGzip, listInputFiles, openFile } from '../functions/engine/readers/byte-source.ts';
import { InvalidS3UriError, parseS3Uri } from '../functions/shared/s3-uri.ts';
import { type AwsFlags, awsClientConfig, userFacingAwsError } from './aws-options.ts';

/**
 * Where the CLI reads its inputs from: a local path, or an `s3://bucket/key` object or prefix. The same files
 * flow through the same readers either way: an S3 object is streamed (never held whole) and gunzipped when its
 * content is gzip, as a local file is. Credentials come from the default chain (environment, profile, SSO,
 * instance role); `--endpoint-url` points at an emulator.
 */
export interface InputLocations {
  /** a file or object is itself; a directory or prefix is every file or object below it, sorted */
  list(location: string): Promise<string[]>;
  open(location: string): AsyncGenerator<Buffer>;
  readText(location: string): Promise<string>;
  /** `dir` + `name`, as a path or as a key below a prefix */
  join(dir: string, name: string): string;
}

export const isS3Location = (location: string): boolean => location.startsWith('s3://');

const LOCAL_REASONS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory' };

const localText = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file }, LOCAL_REASONS[code ?? ''] ?? `cannot read: ${code ?? String(error)}`);
  }
};

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** the user's spelling of a location mistake or an AWS failure they can fix, as one InputError line */
const asInputError = (error: unknown, uri: string): unknown => {
  if (error instanceof ObjectNotFoundError) return new InputError({ file: uri }, 'no such object');
  if (error instanceof InvalidS3UriError) return new InputError({ file: uri }, 'not an s3://bucket/key URI');
  return userFacingAwsError(error, uri);
};

const isHiddenKey = (key: string): boolean => key.split('/').some((part) => part.startsWith('.'));

export const makeInputLocations = (aws: AwsFlags = {}): InputLocations => {
  let client: S3Client | undefined;
  const stores = new Map<string, ObjectStore>();
  const storeOf = (uri: string): { store: ObjectStore; bucket: string; key: string } => {
    const { bucket, key } = parseS3Uri(uri);
    // path-style addressing for an endpoint override: emulators and VPC endpoints have no per-bucket hostnames
    client ??= new S3Client({ ...awsClientConfig(aws), forcePathStyle: aws.endpointUrl !== undefined });
    let store = stores.get(bucket);
    if (!store) {
      store = makeS3ObjectStore(bucket, client);
      stores.set(bucket, store);
    }
    return { store, bucket, key };
  };

  const listS3 = async (uri: string): Promise<string[]> => {
    const { store, bucket, key } = storeOf(uri);
    const found: string[] = [];
    // the key itself when it is an object, else everything below `key/`: `s3://b/day` never means `s3://b/day2/x`
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    if (key !== '' && !key.endsWith('/') && (await store.exists(key))) return [uri];
    for await (const object of store.list(prefix)) {
      // folder markers (zero-byte keys ending in /) and dot-files are not inputs, as locally
      if (object.key.endsWith('/') || isHiddenKey(object.key.slice(prefix.length))) continue;
      found.push(`s3://${bucket}/${object.key}`);
    }
    if (found.length === 0) throw new InputError({ file: uri }, 'no objects at this location');
    return found.sort(byCodeUnit);
  };

  async function* openS3(uri: string): AsyncGenerator<Buffer> {
    try {
      const { store, key } = storeOf(uri);
      yield* decodeMaybeGzip(await store.getStream(key), uri);
    } catch (error) {
      throw asInputError(error, uri);
    }
  }

  const readS3Text = async (uri: string): Promise<string> => {
    const parts: Buffer[] = [];
    for await (const chunk of openS3(uri)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  };

  return {
    async list(location) {
      if (!isS3Location(location)) return listInputFiles(location);
      try {
        return await listS3(location);
      } catch (error) {
        throw asInputError(error, location);
      }
    },
    open: (location) => (isS3Location(location) ? openS3(location) : openFile(location)),
    readText: (location) => (isS3Location(location) ? readS3Text(location) : localText(location)),
    join: (dir, name) => (isS3Location(dir) ? `${dir.replace(/\/+$/, '')}/${name}` : join(dir, name)),
  };
};
