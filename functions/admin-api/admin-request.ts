import * as z from 'zod';
import { functionUrlEventSchema } from '../capture-api/capture-request.ts';
import { HttpError } from '../capture-api/http-error.ts';

/**
 * What the admin API accepts: Function URL requests (payload format 2.0) with AWS_IAM auth, whose signed caller
 * is `requestContext.authorizer.iam.userArn`.
 *
 * GET    /models[?all=true]                      the models (removed ones too with all=true)
 * GET    /models/{name}[?version=N]              a version with its config; the current one by default
 * GET    /models/{name}/history                  every version, oldest first, without configs
 * PUT    /models/{name}[?recreate=true]          body = the config; `if-match: <version>` (absent: create only)
 * DELETE /models/{name}                          `if-match: <version>` required
 * PUT and DELETE take an optional `reason` query parameter, kept in the history.
 */
export const adminEventSchema = functionUrlEventSchema.extend({
  rawQueryString: z.string().optional(),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.object({ iam: z.object({ userArn: z.string().min(1) }).optional() }).nullish(),
  }),
});
export type AdminEvent = z.output<typeof adminEventSchema>;

export type AdminRoute =
  | { readonly kind: 'list' }
  | { readonly kind: 'model'; readonly name: string }
  | { readonly kind: 'history'; readonly name: string };

/** the route of a path; names are checked by the store, so any segment is passed on once decoded */
export const matchAdminRoute = (path: string): AdminRoute | undefined => {
  if (/^\/models\/?$/.test(path)) return { kind: 'list' };
  const match = /^\/models\/([^/]+)(\/history)?\/?$/.exec(path);
  if (!match) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[1] ?? '');
  } catch {
    throw new HttpError(400, 'path: the model name is not valid percent-encoding');
  }
  return match[2] ? { kind: 'history', name } : { kind: 'model', name };
};

const VERSION = /^(?:W\/)?"?([1-9]\d{0,9})"?$/;

/** `3`, `"3"` (an ETag as GET sent it) or undefined when absent */
export const parseIfMatch = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const match = VERSION.exec(value.trim());
  if (!match)
    throw new HttpError(400, 'headers.if-match: must be the version number to change (as "etag" gave it)');
  return Number(match[1]);
};

export const parseVersionParameter = (value: string | null): number | undefined => {
  if (value === null) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new HttpError(400, 'query.version: must be a version number');
  return Number(value);
};

const MAX_REASON = 500;

export const parseReason = (value: string | null): string | undefined => {
  if (value === null || value.trim() === '') return undefined;
  if (value.length > MAX_REASON)
    throw new HttpError(400, `query.reason: is longer than ${MAX_REASON} characters`);
  return value.trim();
};

export const etag = (version: number): string => `"${version}"`;
