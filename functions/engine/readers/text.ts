import { StringDecoder } from 'node:string_decoder';
import type { ByteChunks } from './byte-source.ts';

const BOM = 0xfeff;

/**
 * Decodes UTF-8 chunks to text chunks, dropping a leading byte-order mark. A character
 * split across two chunks is held back until it is whole, so chunk boundaries never show.
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
    // a string chunk is already text; flush any pending bytes before it
    const text = emit(typeof chunk === 'string' ? decoder.end() + chunk : decoder.write(chunk));
    if (text.length > 0) yield text;
  }
  const tail = emit(decoder.end());
  if (tail.length > 0) yield tail;
}
