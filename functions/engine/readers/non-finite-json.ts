/**
 * JSON has no NaN or infinities, but Python's `json` module writes them bare by default (`allow_nan`):
 * `[1.5, NaN, -Infinity]`. A model server in Python sends such payloads, and rejecting the whole record for
 * one value would lose the others. So when a text fails to parse and holds one of those tokens outside a
 * string, it is parsed again with each quoted (`"NaN"`), which the profiler then counts as a malformed value.
 * Valid JSON never takes this path, and a text that still does not parse keeps its first error.
 */

const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;
const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const UPPER_I = 73;
const UPPER_N = 78;

/** `text` with the bare tokens above quoted, or undefined when it holds none outside strings */
export const quoteNonFiniteTokens = (text: string): string | undefined => {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      continue;
    }
    if (c !== MINUS && c !== UPPER_I && c !== UPPER_N) continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token === undefined) continue;
    out += `${text.slice(copied, i)}"${token}"`;
    i += token.length - 1;
    copied = i + 1;
  }
  return copied === 0 ? undefined : out + text.slice(copied);
};

/** `JSON.parse`, taking Python's bare NaN and infinities as the strings "NaN", "Infinity", "-Infinity". */
export const parseJsonAllowingNonFinite = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    const quoted = text.includes('NaN') || text.includes('Infinity') ? quoteNonFiniteTokens(text) : undefined;
    if (quoted === undefined) throw error;
    try {
      return JSON.parse(quoted);
    } catch {
      throw error;
    }
  }
};
