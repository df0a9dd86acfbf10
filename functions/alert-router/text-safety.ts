/** one SMS segment in the GSM 03.38 7-bit alphabet */
export const SMS_MAX = 160;

// GSM 03.38's extension table: each costs an escape plus itself, two septets
const GSM_EXTENDED = new Set(['^', '{', '}', '\\', '[', ']', '~', '|', '€']);

/** the characters a GSM-7 SMS spends on this text (ASCII input; see asciiLine) */
export const gsmLength = (text: string): number => {
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.has(ch) ? 2 : 1;
  return n;
};

/**
 * Other people's text (model, feature and segment names) on one line of printable ASCII: line breaks and other
 * control or format characters become a space, anything else outside ASCII `?`, so a name can neither break a
 * one-line message nor push an SMS out of GSM-7.
 */
export const asciiLine = (text: string): string =>
  text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .replace(/[`]/g, "'")
    .replace(/ {2,}/g, ' ');

/** one argument for a POSIX shell: as it is when it is plainly safe, else in single quotes */
export const shellQuote = (arg: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
