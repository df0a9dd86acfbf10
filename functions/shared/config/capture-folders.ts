import type { z } from 'zod';
import { STORE_PREFIXES } from '../store-layout.ts';
import type { ModelConfig } from './model-schema.ts';
import { captureLocation } from './model-settings.ts';

/** a model and the capture folder its jobs read (model-settings.ts `captureLocation`) */
export interface ModelCaptureFolder {
  readonly name: string;
  readonly endpointName: string;
  readonly variantName: string;
}

/**
 * `capture/<endpoint>/<variant>/`, as the jobs list it (s3-layout.ts `captureVariantPrefix`), with the trailing
 * slash that makes prefix tests respect folder boundaries (`capture/churn/AllTraffic/` is not a prefix of
 * `capture/churn/AllTraffic2/`)
 */
const folderOf = (model: Omit<ModelCaptureFolder, 'name'>): string =>
  `${STORE_PREFIXES.capture}${model.endpointName}/${model.variantName}/`;

/** The key prefix a model's data job reads its capture from. */
export const capturePrefix = (model: ModelConfig): string => folderOf(captureLocation(model));

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
        `${folders[earlier]}): set capture.endpointName or capture.variantName so that each model reads its own`,
      params: { keyIssue: true },
    });
  });
};
