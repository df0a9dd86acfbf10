import * as z from 'zod';
import { scheduleProblem } from './schedule-expressions.ts';

/** The config's building blocks: names, URIs, images, instance types and the checks several schemas share. */

// names flow into S3 prefixes, SageMaker job names (63 characters with a 30-character suffix), construct ids,
// SNS filter policies and dashboard names, so they are short lowercase kebab-case
export const modelName = z
  .string()
  .regex(
    /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,31}$/,
    'must be 1-32 characters of a-z, 0-9 and single inner hyphens',
  );
export const sageMakerName = z
  .string()
  .regex(
    /^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$/,
    'is not a SageMaker name (a-z, A-Z, 0-9 and hyphens, up to 63)',
  );
export const s3Uri = z
  .string()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/\S*)?$/, 'is not an s3://bucket/key URI');
export const ecrImage = z
  .string()
  .regex(
    /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9][a-z0-9._/-]*(?::[\w.-]+|@sha256:[a-f0-9]{64})?$/,
    'is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag])',
  );
export const mlInstanceType = z
  .string()
  .regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/, 'is not a SageMaker instance type (ml.*.*)');
export const scheduleExpression = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const days = z.number().int().min(1);
/** each item's `field` must be unique; the issue points at the repeated value */
export const uniqueBy =
  <T>(field: keyof T & string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      const value = item[field];
      if (seen.has(value))
        ctx.addIssue({ code: 'custom', path: [index, field], message: `repeats the ${what}` });
      seen.add(value);
    });
  };

/**
 * A field's documentation, for the JSON Schema editors show and the tables in docs/deploy.md (npm run schema):
 * what it means and, where the default depends on other fields, the default in words.
 */
export const doc = (
  description: string,
  defaultText?: string,
): { description: string; defaultText?: string } =>
  defaultText === undefined ? { description } : { description, defaultText };
