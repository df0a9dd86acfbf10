/**
 * An answer for the caller, with a message that is safe to show (no payloads, no stacks). In a file of its own:
 * the request schemas (capture-request.ts) throw it and http.ts uses their types, so neither imports the other.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
