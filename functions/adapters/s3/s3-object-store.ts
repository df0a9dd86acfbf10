import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { mapWithConcurrency } from '../concurrency.ts';
import { InvalidKeyPartError, InvalidObjectError, ObjectNotFoundError } from '../errors.ts';
import { utcHourPath } from '../key-parts.ts';
import {
  cachedStoreFor,
  type MoveOptions,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
  type StoreFor,
} from '../object-store.ts';
import { hourStarts, reasonSidecarKey } from '../s3-layout.ts';

const defaultS3 = new S3Client({});

export interface S3ObjectStoreOptions {
  /** keys per ListObjectsV2 page; @default 1000 */
  readonly listPageSize?: number;
  /** hour partitions listed in parallel; @default 8 */
  readonly listConcurrency?: number;
  /** strings and byte arrays above this size go through multipart upload; @default 16 MiB */
  readonly multipartThresholdBytes?: number;
  /** @default 8 MiB (S3's minimum is 5 MiB) */
  readonly partSizeBytes?: number;
  readonly now?: () => Date;
}

const MiB = 1024 * 1024;
/** S3 sends user metadata as HTTP headers: ASCII only, 2 KB in all */
const METADATA_REASON_MAX = 512;

/** an S3 object store per bucket through one client, each built once; `known` stores are used as they are */
export const makeS3StoreFor = (
  s3: S3Client = defaultS3,
  known: Readonly<Record<string, ObjectStore>> = {},
): StoreFor => cachedStoreFor((bucket) => makeS3ObjectStore(bucket, s3), known);

export const makeS3ObjectStore = (
  bucket: string,
  s3: S3Client = defaultS3,
  options: S3ObjectStoreOptions = {},
): ObjectStore => {
  const listPageSize = options.listPageSize ?? 1000;
  const listConcurrency = options.listConcurrency ?? 8;
  const multipartThreshold = options.multipartThresholdBytes ?? 16 * MiB;
  const partSize = options.partSizeBytes ?? 8 * MiB;
  const now = options.now ?? (() => new Date());

  const getObject = async (key: string, from = 0) => {
    try {
      const out = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(from > 0 ? { Range: `bytes=${from}-` } : {}) }),
      );
      if (!out.Body) throw new InvalidObjectError(key, 'S3 returned no body');
      return out.Body;
    } catch (error) {
      throw mapNotFound(error, key);
    }
  };

  const head = async (key: string): Promise<HeadObjectCommandOutput | undefined> => {
    try {
      return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const upload = async (
    key: string,
    body: Uint8Array | Readable,
    contentType: string,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<void> => {
    await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: { ...metadata } },
      partSize,
      queueSize: 4,
      // a failed part aborts the upload, so no orphaned parts keep costing storage
      leavePartsOnError: false,
    }).done();
  };

  /**
   * ListObjects (v1) paged by Marker = the last key seen: the same listing as v2 on S3, and it works on
   * s3rver, whose v2 continuation tokens use DES, a cipher OpenSSL 3 (Node 18+) no longer offers, so every
   * truncated v2 page fails there with InternalError.
   */
  const list = async function* (prefix: string): AsyncIterable<ObjectInfo> {
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: listPageSize, Marker: marker }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        marker = item.Key;
        yield { key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) };
      }
      if (!page.IsTruncated || marker === undefined) return;
    }
  };

  return {
    async getStream(key, from) {
      const body = await getObject(key, from);
      if (!isAsyncIterable(body)) throw new InvalidObjectError(key, 'S3 body is not a stream');
      return body;
    },

    async getText(key) {
      return (await getObject(key)).transformToString('utf-8');
    },

    async getJson(key) {
      const text = await (await getObject(key)).transformToString('utf-8');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new InvalidObjectError(key, 'not valid JSON', { cause: error });
      }
    },

    async put(key, body: ObjectBody, contentType, metadata) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        if (bytes.byteLength > multipartThreshold) return upload(key, bytes, contentType, metadata);
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentType: contentType,
            Metadata: { ...metadata },
          }),
        );
        return;
      }
      // the length of a stream is unknown up front: Upload buffers one part at a time
      return upload(key, body instanceof Readable ? body : Readable.from(body), contentType, metadata);
    },

    list,

    async listHourWindow(prefix, start, end) {
      const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
      const hours = hourStarts(start, end);
      const perHour = await mapWithConcurrency(hours, listConcurrency, async (hour) => {
        const found: ObjectInfo[] = [];
        for await (const info of list(`${base}${utcHourPath(hour)}/`)) found.push(info);
        // S3 already lists in key order; sorting again keeps the promise for stores that do not
        return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      });
      return perHour.flat();
    },

    async move(from, to, moveOptions: MoveOptions = {}) {
      if (from === to) throw new InvalidKeyPartError('move target', to, 'must differ from the source');
      const source = await head(from);
      if (!source) throw new ObjectNotFoundError(from);
      const movedAt = now().toISOString();
      const metadata: Record<string, string> = {
        ...source.Metadata,
        'moved-from': encodeURIComponent(from),
        'moved-at': movedAt,
      };
      if (moveOptions.reason !== undefined) metadata['move-reason'] = asciiHeaderValue(moveOptions.reason);
      try {
        await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: to,
            CopySource: copySource(bucket, from),
            // REPLACE is needed to add the reason; it drops the stored headers, so they are passed again
            MetadataDirective: 'REPLACE',
            Metadata: metadata,
            ContentType: source.ContentType,
            ContentEncoding: source.ContentEncoding,
          }),
        );
      } catch (error) {
        throw mapNotFound(error, from);
      }
      if (moveOptions.reason !== undefined) {
        const sidecar = { source: from, target: to, reason: moveOptions.reason, movedAt };
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: reasonSidecarKey(to),
            Body: `${JSON.stringify(sidecar, null, 2)}\n`,
            ContentType: 'application/json',
          }),
        );
      }
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: from }));
    },

    async exists(key) {
      return (await head(key)) !== undefined;
    },

    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
};

const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  error.name !== 'NoSuchBucket' &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

const mapNotFound = (error: unknown, key: string): unknown =>
  isNotFound(error) ? new ObjectNotFoundError(key, { cause: error }) : error;

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * CopySource is URL-encoded per path segment. `:` stays literal: report keys carry ISO times, S3 accepts
 * the colon as it is, and s3rver decodes with decodeURI, which would leave `%3A` undecoded.
 */
const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%3A', ':'))
    .join('/')}`;

const asciiHeaderValue = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, METADATA_REASON_MAX);
