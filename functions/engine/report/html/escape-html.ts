const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an element's content or a quoted attribute value: every character HTML gives meaning to is escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * JSON for a `<script type="application/json">` element. Every `<` becomes `\u003c` (still the same JSON
 * string), so no value can write `</script>` or `<!--` and end the element early; U+2028/U+2029 are
 * escaped too, so the text also stays valid if someone pastes it into a JavaScript literal.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
