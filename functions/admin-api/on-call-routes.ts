import { HttpError } from '../capture-api/http-error.ts';

/**
 * The admin API's on-call routes (issue 15):
 * POST /alerts/{id}/ack          body `{ "reason"?: "..." }`; the id percent-encoded (it holds slashes)
 * POST /models/{name}/mute       body `{ "minutes": 240, "check"?: "baseline_drift_check" | "*", "reason": "..." }`
 */
export type OnCallRoute =
  | { readonly kind: 'ack'; readonly alertId: string }
  | { readonly kind: 'mute'; readonly model: string };

const decode = (segment: string, what: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `path: the ${what} is not valid percent-encoding`);
  }
};

export const matchOnCallRoute = (path: string): OnCallRoute | undefined => {
  const ack = /^\/alerts\/([^/]+)\/ack\/?$/.exec(path);
  if (ack) return { kind: 'ack', alertId: decode(ack[1] ?? '', 'alert id') };
  const mute = /^\/models\/([^/]+)\/mute\/?$/.exec(path);
  if (mute) return { kind: 'mute', model: decode(mute[1] ?? '', 'model name') };
  return undefined;
};
