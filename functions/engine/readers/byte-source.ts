import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.ts';

/** Chunks as they come from a file stream, an S3 object body or a test. */
export type ByteChunks = AsyncIterable<Uint8Array | string>;

// large reads keep the per-chunk overhead of the async pipeline small against the per-byte work
export const CHUNK_BYTES = 1024 * 1024;

/** a chunk as a Buffer over the same bytes (no copy) */
export const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const isZlibError = (error: unknown): error is Error =>
  error instanceof Error && (errorCode(error)?.startsWith('Z_') ?? false);

async function* gunzip(source: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const inflater = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipeline destroys the inflater with the source's error, so iterating it surfaces that error;
  // the callback only keeps pipeline from treating the error as unhandled
  pipeline(Readable.from(source), inflater, () => {});
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error)) throw new InputError({ file }, `cannot gunzip: ${error.message}`);
    throw error;
  }
}

/**
 * Passes bytes through, or gunzips them when they start with the gzip magic bytes 1f 8b.
 * Sniffing the content rather than the name is what lets S3 objects written without a `.gz`
 * suffix (or with `Content-Encoding: gzip` stripped) read the same as local files.
 * `file` only names the input in a corrupt-gzip error.
 */
export async function* decodeMaybeGzip(source: ByteChunks, file = '<input>'): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  const next = async (): Promise<Buffer | undefined> => {
    const result = await iterator.next();
    if (result.done) {
      exhausted = true;
      return undefined;
    }
    return toBuffer(result.value);
  };
  try {
    const head: Buffer[] = [];
    let headBytes = 0;
    while (headBytes < 2) {
      const chunk = await next();
      if (chunk === undefined) break;
      if (chunk.length === 0) continue;
      head.push(chunk);
      headBytes += chunk.length;
    }
    async function* replay(): AsyncGenerator<Buffer> {
      yield* head;
      for (let chunk = await next(); chunk !== undefined; chunk = await next()) yield chunk;
    }
    const magic = head.length === 1 ? head[0]! : Buffer.concat(head);
    if (headBytes >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) yield* gunzip(replay(), file);
    else yield* replay();
  } finally {
    // a consumer that stops early must still release the underlying stream
    if (!exhausted) await iterator.return?.();
  }
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

const fsReason = (error: unknown): string | undefined => {
  const code = errorCode(error);
  return code === undefined ? undefined : FS_REASONS[code];
};

/** Streams a local file, gunzipping it when its content is gzip. Opens lazily, on first read. */
export async function* openFile(path: string): AsyncGenerator<Buffer> {
  try {
    yield* decodeMaybeGzip(createReadStream(path, { highWaterMark: CHUNK_BYTES }), path);
  } catch (error) {
    const reason = fsReason(error);
    if (reason !== undefined) throw new InputError({ file: path }, reason);
    throw error;
  }
}

const isHidden = (name: string): boolean => name.startsWith('.');

// plain code-unit order, not locale order, so every machine lists the same files in the same order
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function collectFiles(dir: string, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const path = join(dir, entry.name);
    // symlinks are followed: a capture folder is often a link to a mounted bucket copy
    const kind = entry.isSymbolicLink() ? await stat(path) : entry;
    if (kind.isDirectory()) await collectFiles(path, into);
    else if (kind.isFile()) into.push(path);
  }
}

/**
 * The input files a path names: a file is itself; a directory is every file below it,
 * recursively, sorted, skipping dotfiles and dot-directories (`.DS_Store`, `.git`).
 * Throws InputError when the path does not exist or holds no file.
 */
export async function listInputFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError({ file: path }, fsReason(error) ?? 'cannot read');
  }
  if (info.isFile()) return [path];
  const files: string[] = [];
  await collectFiles(path, files);
  if (files.length === 0) throw new InputError({ file: path }, 'no input files found');
  return files.sort(byCodeUnit);
}
