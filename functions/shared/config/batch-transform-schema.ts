import * as z from 'zod';
import { doc, s3Uri } from './zod-primitives.ts';

/**
 * A model's `batchTransform` block (issue 17): its batch transform jobs are judged when they complete, on
 * SageMaker's `Transform Job State Change` event, against the model's baseline, with the same checks, reports and
 * alerts as its windows of endpoint capture.
 */
export const batchTransformSchema = z
  .strictObject({
    jobNamePrefix: z
      .string()
      .regex(
        /^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$/,
        'is not the start of a SageMaker job name (a-z, A-Z, 0-9, hyphens)',
      )
      .meta(
        doc("transform jobs whose name starts with this are the model's; two models' prefixes may not nest"),
      ),
    captureUri: s3Uri.meta(
      doc(
        "the job's `DataCapturedConfig` / `BatchDataCaptureConfig` `DestinationS3Uri`: the objects under it whose " +
          'path holds the job name, except those under `output/`, are the captured input',
      ),
    ),
    format: z
      .enum(['auto', 'csv', 'jsonl', 'parquet'])
      .default('auto')
      .meta(doc("the captured input's format; `auto`: sniffed, `.parquet` names are Parquet")),
    header: z
      .boolean()
      .default(false)
      .meta(doc('whether CSV input files start with a header row (batch inputs usually do not)')),
  })
  .meta(doc('judge batch transform jobs of this model when they complete'));
export type BatchTransformConfig = z.output<typeof batchTransformSchema>;

/** The model whose prefix starts the job's name, if any (prefixes do not nest, so at most one). */
export const modelForTransformJob = <
  M extends { readonly batchTransform?: { readonly jobNamePrefix: string } },
>(
  models: readonly M[],
  jobName: string,
): M | undefined =>
  models.find((m) => m.batchTransform !== undefined && jobName.startsWith(m.batchTransform.jobNamePrefix));
