import { z } from 'zod';
import { modelConfigSchema } from './model-schema.ts';
import { recipientsBySeverity } from './recipients-schema.ts';
import { LOG_RETENTION_DAYS } from './vocabulary.ts';
import { days, uniqueBy } from './zod-primitives.ts';

/** The whole config file: the stack, the operators' recipients, retention and the models. */

export const retentionSchema = z
  .strictObject({
    /** S3 requires at least 30 days before a transition to STANDARD_IA */
    captureInfrequentAccessDays: days.min(30).default(30),
    captureExpirationDays: days.default(365),
    reportExpirationDays: days.default(730),
    quarantineExpirationDays: days.default(90),
    noncurrentVersionExpirationDays: days.default(30),
    accessLogExpirationDays: days.default(365),
    metricsTtlDays: days.default(400),
    logRetentionDays: z
      .number()
      .refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
        message: `is not a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(', ')})`,
      })
      .default(90),
  })
  .superRefine((r, ctx) => {
    if (r.captureExpirationDays <= r.captureInfrequentAccessDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['captureExpirationDays'],
        message: `must be greater than captureInfrequentAccessDays (${r.captureInfrequentAccessDays})`,
      });
    }
  });
export type RetentionConfig = z.output<typeof retentionSchema>;

export const modelCareConfigSchema = z.strictObject({
  /** editors' JSON schema hint; ignored */
  $schema: z.string().optional(),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'is not a CloudFormation stack name')
    .default('ModelCare'),
  /** retain keeps the bucket and tables on `cdk destroy`; destroy deletes them with their data */
  removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
  /** operators: receive every alert and alarm of a severity, for all models */
  alerts: z.strictObject(recipientsBySeverity).prefault({}),
  retention: retentionSchema.prefault({}),
  models: z
    .array(modelConfigSchema)
    .min(1, 'needs at least one model')
    .superRefine(uniqueBy('name', 'model name')),
});
export type ModelCareConfig = z.output<typeof modelCareConfigSchema>;
export type ModelCareConfigInput = z.input<typeof modelCareConfigSchema>;
