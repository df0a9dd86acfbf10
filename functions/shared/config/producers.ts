import * as z from 'zod';
import { doc } from './zod-primitives.ts';

/**
 * Who may send a model's data (issue 11.1): IAM principals, separately for capture records and for ground-truth
 * labels, because a producer of predictions is not trusted for the answers by default. The capture API compares
 * them with the caller the Function URL authenticated; `approval: auto` needs `labels`, since forged labels
 * could otherwise start retraining and promote a model (`autoApprovalProblem`).
 */

// what a Function URL with AWS_IAM auth reports as `requestContext.authorizer.iam.userArn`: a user, a role, a
// role session (`assumed-role/<role>/<session>`) or an account root
const principalArn = z
  .string()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:(?:iam::\d{12}:(?:root|user\/\S+|role\/\S+)|sts::\d{12}:assumed-role\/\S+)$/,
    'is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>, user/<name>, root, or arn:aws:sts::<account>:assumed-role/<role>/<session>)',
  )
  // IAM matches no wildcard in a principal either; a pattern here would admit callers nobody named
  .refine((arn) => !/[*?]/.test(arn), 'has a wildcard: name each principal (a role admits all its sessions)');

export const producersSchema = z.strictObject({
  records: z
    .array(principalArn)
    .optional()
    .meta(
      doc(
        'IAM principals (user, role, assumed-role session or root ARNs) that may POST capture records and invocations',
        'anyone allowed to invoke the capture API',
      ),
    ),
  labels: z
    .array(principalArn)
    .optional()
    .meta(
      doc(
        'IAM principals that may POST ground-truth labels; `retraining.approval: auto` needs it',
        'anyone allowed to invoke the capture API',
      ),
    ),
});
export type ProducersConfig = z.output<typeof producersSchema>;

/** the parts of a model config the rule reads */
interface ApprovalSubject {
  readonly retraining?: { readonly approval: 'auto' | 'manual' };
  readonly producers?: ProducersConfig;
}

/** A model that promotes on its own while anyone may send its labels, as `{ path, message }`; else undefined. */
export const autoApprovalProblem = (
  model: ApprovalSubject,
): { path: string[]; message: string } | undefined => {
  if (model.retraining?.approval !== 'auto' || model.producers?.labels !== undefined) return undefined;
  return {
    path: ['retraining', 'approval'],
    message:
      '"auto" needs producers.labels (the principals allowed to send labels): unrestricted labels could start retraining and promote a model',
  };
};
