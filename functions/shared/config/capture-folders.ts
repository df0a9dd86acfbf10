import type { z } from 'zod';
import { parseS3Uri } from '../s3-uri.ts';
import { STORE_PREFIXES } from '../store-layout.ts';
import { S3_URI_SHAPE } from './capture-uri.ts';
import type { ModelConfig } from './model-schema.ts';
import { captureLocation } from './model-settings.ts';

/** a model and the capture folder its jobs read (model-settings.ts `captureLocation`) */
export interface ModelCaptureFolder {
  readonly name: string;
  readonly endpointName: string;
  readonly variantName: string;
  /** `capture.s3Uri`: capture in another bucket; absent for the stack bucket's `capture/` */
  readonly s3Uri?: string | undefined;
}

/**
 * The folder a model reads, with the trailing slash that makes prefix tests respect folder boundaries
 * (`capture/churn/AllTraffic/` is not a prefix of `capture/churn/AllTraffic2/`): `capture/<endpoint>/<variant>/`
 * in the stack bucket, as the jobs list it (s3-layout.ts `captureVariantPrefix`), or the full
 * `s3://<bucket>/<prefix>/<endpoint>/<variant>/` of capture elsewhere. The two spellings never overlap each other,
 * and the stack bucket's is what the models table has always stored.
 */
const folderOf = (model: Omit<ModelCaptureFolder, 'name'>): string => {
  if (model.s3Uri === undefined)
    return `${STORE_PREFIXES.capture}${model.endpointName}/${model.variantName}/`;
  // zod runs this list-level check even when a model's s3Uri failed its own (non-aborting) check: no throw here
  if (!S3_URI_SHAPE.test(model.s3Uri)) return `${model.s3Uri}/${model.endpointName}/${model.variantName}/`;
  const { bucket, prefix } = externalCaptureRoot(model.s3Uri);
  return `s3://${bucket}/${prefix}${model.endpointName}/${model.variantName}/`;
};

/** `s3://bucket/prefix` as a bucket and a key prefix ending in `/` (empty for the whole bucket) */
export const externalCaptureRoot = (s3Uri: string): { bucket: string; prefix: string } => {
  const { bucket, key } = parseS3Uri(s3Uri, 'capture.s3Uri');
  return { bucket, prefix: key === '' || key.endsWith('/') ? key : `${key}/` };
};

/** The folder a model's data job reads its capture from (see folderOf). */
export const capturePrefix = (model: ModelConfig): string =>
  folderOf({ ...captureLocation(model), s3Uri: model.capture.s3Uri });

/** whether two capture prefixes overlap: one model would read the other's records */
export const capturePrefixesOverlap = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);

/**
 * Two models must not read the same capture: each would judge the other's traffic as its own (false drift,
 * joins against the wrong labels, one model's misconfiguration quarantining the other's data). Refused when one
 * model's folder equals another's or is a prefix of it. Folders end with `/` and hold two name segments today,
 * so only equal folders can clash; the prefix rule keeps the check right should a location ever gain depth.
 * One issue per clashing model, on its `capture` field, naming the earlier model it clashes with.
 */
export const refineDistinctCaptureFolders = (
  models: readonly ModelCaptureFolder[],
  ctx: z.RefinementCtx,
): void => {
  const folders = models.map(folderOf);
  folders.forEach((folder, index) => {
    const earlier = folders.findIndex((other, j) => j < index && capturePrefixesOverlap(other, folder));
    if (earlier === -1) return;
    const other = models[earlier]!;
    const relation =
      folders[earlier] === folder ? 'the same capture folder as' : 'a capture folder overlapping';
    ctx.addIssue({
      code: 'custom',
      path: [index, 'capture'],
      message:
        `model "${models[index]!.name}" reads ${folder}, ${relation} model "${other.name}" (models[${earlier}], ` +
        `${folders[earlier]}): set capture.endpointName, capture.variantName or capture.s3Uri so that each model reads its own`,
      params: { keyIssue: true },
    });
  });
};
