import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { modelRolePath, type StackIdentity } from '../../functions/shared/model-roles.ts';
import type { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards, nagArn } from './private/nag.ts';

/**
 * The jobs' side of the per-model access roles (fleet design, section 4; issue 10): a job that reads a model's
 * capture outside the stack bucket (`capture.s3Uri`) assumes that model's access role, whose inline policy (written
 * at `models put`, functions/adapters/iam/model-role-policies.ts) grants exactly that prefix and its key. The job
 * learns the role's name from the stack's identity in its environment, and may assume only the stack's access
 * roles: `mc-*-access` under the stack's IAM path, which only the admin service creates, with the boundary.
 */

/** what the jobs name the access roles by (environment.ts `modelAccessRoles`), tokens resolved at deploy */
export const modelAccessRoleIdentity = (scope: IConstruct): StackIdentity => {
  const stack = Stack.of(scope);
  return {
    stackName: stack.stackName,
    region: stack.region,
    account: stack.account,
    partition: stack.partition,
  };
};

/** `arn:<partition>:iam::<account>:role/model-care/<stackName>/mc-*-access` */
export const modelAccessRoleArnPattern = (scope: IConstruct): string => {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:iam::${stack.account}:role${modelRolePath(stack.stackName)}mc-*-access`;
};

/** sets the identity in the function's environment and lets its role assume the stack's model access roles */
export const bindModelAccessRoles = (fn: HouseFunction): void => {
  fn.addEnvironment({ modelAccessRoles: modelAccessRoleIdentity(fn) });
  const pattern = modelAccessRoleArnPattern(fn);
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeModelAccessRoles',
      actions: ['sts:AssumeRole'],
      resources: [pattern],
    }),
  );
  acknowledgeWildcards(
    fn.role,
    [`Resource::${nagArn(fn, pattern)}`],
    "The per-model access roles are data, created at `models put` under the stack's IAM path with the stack's " +
      "permissions boundary; the job assumes the one of the model it runs for, to read that model's capture in " +
      "the model's own bucket with exactly the grants of that role's inline policy.",
  );
};
