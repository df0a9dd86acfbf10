import * as z from 'zod';

/**
 * What the role manager (functions/adapters/iam/) needs from the stack, passed to the admin and seeding functions
 * as the JSON env var `MODEL_CARE_MODEL_ROLES` (environment.ts `modelRoles`) and parsed once at cold start.
 */
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/, 'is not an IAM role ARN');
const policyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/\S+$/, 'is not an IAM policy ARN');

export const modelRoleSettingsSchema = z.strictObject({
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'is not a CloudFormation stack name'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'is not an AWS region'),
  account: z.string().regex(/^\d{12}$/, 'is not an AWS account id'),
  partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
  /** every model role gets it: the admin function may create roles only with it (iam:PermissionsBoundary) */
  permissionsBoundaryArn: policyArn,
  /** may assume the access roles: the job functions' roles and the retraining state machine's role */
  trustedRoleArns: z.array(roleArn).min(1, 'needs at least one role that assumes the access roles'),
  /** attached to every access role: the stack bucket's per-model prefixes by ${aws:PrincipalTag/model-care-model} */
  accessPolicyArns: z.array(policyArn).default([]),
  /** attached to every training role: training/<model>/ in the stack bucket, by the same tag */
  trainingPolicyArns: z.array(policyArn).default([]),
});
export type ModelRoleSettings = z.output<typeof modelRoleSettingsSchema>;
export type ModelRoleSettingsInput = z.input<typeof modelRoleSettingsSchema>;
