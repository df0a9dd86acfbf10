import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * Names of the per-model IAM roles that the admin service creates at `models put` (fleet design, section 4),
 * shared by lib/ (trust, PassRole and boundary policies that must name them) and the role manager.
 *
 * IAM names are global to the account, so the names carry a hash of region and stack: two stacks of one name in
 * two regions never share a role. All of them live under one path per stack, which policies can match.
 */

/** the tag every model role carries; ABAC policies read it as `${aws:PrincipalTag/model-care-model}` */
export const MODEL_TAG_KEY = 'model-care-model';

export interface StackIdentity {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  /** @default 'aws' */
  readonly partition?: string;
}

/** the ARN of a model's access role, which the jobs assume for its data outside the stack bucket */
export const accessRoleArn = (stack: StackIdentity, model: string): string =>
  modelRoleArn(stack, modelRoleNames(stack, model).access);

export interface ModelRoleNames {
  /** `/model-care/<stackName>/` */
  readonly path: string;
  /** assumed by the jobs and the retraining state machine for the model's own data and endpoint */
  readonly access: string;
  /** SageMaker's execution role for the model's training, transform and hosting */
  readonly training: string;
}

/** a StackIdentity as lib/ hands it to a function (environment.ts `modelRoleStack`, `modelAccessRoles`) */
export const stackIdentitySchema: z.ZodType<StackIdentity, unknown> = z.strictObject({
  stackName: z.string().min(1, 'must not be empty'),
  region: z.string().min(1, 'must not be empty'),
  account: z.string().min(1, 'must not be empty'),
  partition: z.string().min(1).optional(),
});

/** six hex characters of sha256(`<region>/<stackName>`) */
export const stackHash6 = (stack: Pick<StackIdentity, 'stackName' | 'region'>): string =>
  createHash('sha256').update(`${stack.region}/${stack.stackName}`).digest('hex').slice(0, 6);

/** `mc-<hash6>-<model>-access` is at most 3 + 6 + 1 + 32 + 9 = 51 characters, within IAM's 64 */
export const modelRoleNames = (
  stack: Pick<StackIdentity, 'stackName' | 'region'>,
  model: string,
): ModelRoleNames => {
  const prefix = `mc-${stackHash6(stack)}-${model}`;
  return { path: modelRolePath(stack.stackName), access: `${prefix}-access`, training: `${prefix}-training` };
};

export const modelRolePath = (stackName: string): string => `/model-care/${stackName}/`;

/** the ARN of a role under the stack's path */
export const modelRoleArn = (stack: StackIdentity, roleName: string): string =>
  `arn:${stack.partition ?? 'aws'}:iam::${stack.account}:role${modelRolePath(stack.stackName)}${roleName}`;
