import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { ByteChunks } from './byte-source.ts';

const BOM = 0xfeff;

const asBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Decodes UTF-8 chunks to text chunks, dropping a leading byte-order mark. A character
 * split across two chunks is held back until it is whole, so chunk boundaries never show.
 *
 * A chunk of pure ASCII (capture files almost always are) is copied into a string as Latin-1, which
 * is the same text for ASCII and skips UTF-8 validation; it first ends whatever the decoder holds, which
 * is what the decoder itself would do on meeting an ASCII byte after an unfinished sequence.
 */
export async function* decodeUtf8(source: ByteChunks): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let atStart = true;
  const emit = (text: string): string => {
    if (!atStart || text.length === 0) return text;
    atStart = false;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  };
  for await (const chunk of source) {
    let text: string;
    // a string chunk is already text; flush any pending bytes before it
    if (typeof chunk === 'string') text = decoder.end() + chunk;
    else {
      const bytes = asBuffer(chunk);
      text = isAscii(bytes) ? decoder.end() + bytes.toString('latin1') : decoder.write(bytes);
    }
    text = emit(text);
    if (text.length > 0) yield text;
  }
  const tail = emit(decoder.end());
  if (tail.length > 0) yield tail;
}
