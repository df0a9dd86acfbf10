import type { ProducersConfig } from './config/producers.ts';

/**
 * Who may send a model's data (issue 11.1), decided from the caller a Function URL with AWS_IAM auth
 * authenticated (`requestContext.authorizer.iam.userArn`) and the model's `producers`. Pure, so the capture API
 * and whatever later reads producers from the model store take the same decision.
 *
 * - Each kind is decided by its own list: a principal in `producers.records` is not trusted for labels unless
 *   `producers.labels` names it too.
 * - A kind without a list admits every caller the Function URL admits (the behaviour before producers existed);
 *   an empty list admits nobody through the API.
 * - An assumed-role session `arn:aws:sts::<account>:assumed-role/<name>/<session>` is the role
 *   `arn:aws:iam::<account>:role/[<path>/]<name>` (same partition and account); every other principal (a user,
 *   an account root, a role session named in full) is matched exactly. A root entry admits the root user only,
 *   not every principal of its account. The config refuses wildcards (producers.ts).
 */

export type ProducerKind = 'records' | 'labels';

const SESSION = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const ROLE = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** whether the authenticated caller is the configured principal */
export const principalMatches = (caller: string, configured: string): boolean => {
  if (caller === configured) return true;
  const session = SESSION.exec(caller);
  const role = ROLE.exec(configured);
  if (!session || !role) return false;
  return session[1] === role[1] && session[2] === role[2] && session[3] === role[3];
};

export type ProducerDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string };

/** whether `caller` may send `kind` for a model with these producers; the reason is safe to show the caller */
export const authorizeProducer = (
  caller: string | undefined,
  producers: ProducersConfig | undefined,
  kind: ProducerKind,
): ProducerDecision => {
  const allowed = producers?.[kind];
  if (allowed === undefined) return { allowed: true };
  if (caller === undefined || caller === '') {
    return { allowed: false, reason: `${kind} of this model need a signed caller (AWS_IAM auth)` };
  }
  if (allowed.some((principal) => principalMatches(caller, principal))) return { allowed: true };
  return { allowed: false, reason: `${caller} is not a producer of ${kind} for this model` };
};
