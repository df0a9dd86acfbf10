import * as z from 'zod';
import { captureApiSettingsSchema } from './capture-api-settings.ts';
import { refineDistinctCaptureFolders } from './capture-folders.ts';
import { fanOutSettingsSchema } from './fan-out-settings.ts';
import { fleetSettingsSchema } from './fleet-settings.ts';
import { modelConfigSchema } from './model-schema.ts';
import { captureLocation } from './model-settings.ts';
import { onCallSchema } from './on-call-schema.ts';
import { autoApprovalProblem } from './producers.ts';
import { recipientsBySeverity } from './recipients-schema.ts';
import { LOG_RETENTION_DAYS } from './vocabulary.ts';
import { days, doc, uniqueBy } from './zod-primitives.ts';

/** The whole config file: the stack, the operators' recipients, retention and the models. */

export const retentionSchema = z
  .strictObject({
    // S3 requires at least 30 days before a transition to STANDARD_IA
    captureInfrequentAccessDays: days
      .min(30)
      .default(30)
      .meta(doc("capture and ground truth move to S3 Standard-IA (S3's minimum is 30)")),
    captureExpirationDays: days
      .default(365)
      .meta(doc('capture and ground truth are deleted (must exceed the IA days)')),
    reportExpirationDays: days.default(730).meta(doc('reports and profiles are deleted')),
    quarantineExpirationDays: days.default(90).meta(doc('quarantined objects are deleted')),
    noncurrentVersionExpirationDays: days
      .default(30)
      .meta(doc('overwritten or deleted object versions are removed')),
    accessLogExpirationDays: days.default(365).meta(doc('S3 access logs are deleted')),
    metricsTtlDays: days.default(400).meta(doc('metric time-series items expire (DynamoDB TTL)')),
    logRetentionDays: z
      .number()
      .refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
        message: `is not a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(', ')})`,
      })
      .default(90)
      // the refinement is invisible to JSON Schema: the enum tells editors the allowed values
      .meta({
        ...doc('Lambda and state machine logs (a CloudWatch Logs retention value)'),
        enum: [...LOG_RETENTION_DAYS],
      }),
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
  $schema: z.string().optional().meta(doc("editors' JSON Schema hint (`./model-care.schema.json`); ignored")),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'is not a CloudFormation stack name')
    .default('ModelCare')
    .meta(
      doc("CloudFormation stack name; also the prefix of the one dashboard's name (`<stackName>-models`)"),
    ),
  removalPolicy: z
    .enum(['retain', 'destroy'])
    .default('retain')
    .meta(
      doc(
        '`retain` keeps the bucket, tables and key on `cdk destroy`; `destroy` deletes them (buckets must be empty)',
      ),
    ),
  alerts: z
    .strictObject(recipientsBySeverity('operators (every message of the severity, all models)'))
    .prefault({}),
  // chat (AWS Chatbot) and paging (PagerDuty, Opsgenie) per severity, and the longest mute (issue 17.4, 15)
  onCall: onCallSchema.prefault({}),
  retention: retentionSchema.prefault({}),
  // when a data window is profiled in parts, and how many parts may fail
  fanOut: fanOutSettingsSchema,
  // the blast radius of the capture API (issue 11.3)
  captureApi: captureApiSettingsSchema,
  // one schedule for every model, and how many runs at once (issue 16)
  fleet: fleetSettingsSchema,
  models: z
    .array(modelConfigSchema)
    .min(1, 'needs at least one model')
    .superRefine(uniqueBy('name', 'model name'))
    .superRefine((models, ctx) =>
      refineDistinctCaptureFolders(
        models.map((model) => ({ name: model.name, ...captureLocation(model), s3Uri: model.capture.s3Uri })),
        ctx,
      ),
    )
    // the admin API applies the same rule to models put at run time (functions/admin-api/model-rules.ts)
    .superRefine((models, ctx) => {
      models.forEach((model, index) => {
        const problem = autoApprovalProblem(model);
        if (!problem) return;
        ctx.addIssue({
          code: 'custom',
          path: [index, ...problem.path],
          message: `${problem.message} (model ${JSON.stringify(model.name)})`,
          // the message names the value itself
          params: { keyIssue: true },
        });
      });
    })
    .meta(doc('one or more models, below; no two may read the same capture folder')),
});
export type ModelCareConfig = z.output<typeof modelCareConfigSchema>;
export type ModelCareConfigInput = z.input<typeof modelCareConfigSchema>;
