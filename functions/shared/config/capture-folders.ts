import type { z } from 'zod';

/** a model and the capture folder its jobs read (model-settings.ts `captureLocation`) */
export interface ModelCaptureFolder {
  readonly name: string;
  readonly endpointName: string;
  readonly variantName: string;
}

/** `capture/<endpoint>/<variant>/`, as the jobs list it (s3-layout.ts `captureVariantPrefix`) */
const folderOf = (model: ModelCaptureFolder): string => `capture/${model.endpointName}/${model.variantName}/`;

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
    const earlier = folders.findIndex(
      (other, j) => j < index && (other.startsWith(folder) || folder.startsWith(other)),
    );
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
