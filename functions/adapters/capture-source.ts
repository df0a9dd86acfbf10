import { externalCaptureRoot } from '../shared/config/capture-folders.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { captureLocation } from '../shared/config/model-settings.ts';
import type { ObjectStore } from './object-store.ts';
import { captureVariantPrefix } from './s3-layout.ts';

/**
 * Where a model's capture objects are read (issue 10): the stack bucket's `capture/<endpoint>/<variant>/` by
 * default, or `<capture.s3Uri>/<endpoint>/<variant>/` in a bucket the stack does not own, where SageMaker's Data
 * Capture already writes. The jobs list, read and quarantine through this, never through the stack store directly.
 */
export interface CaptureSource {
  /** the bucket the objects are in */
  readonly store: ObjectStore;
  /** `.../<endpoint>/<variant>/`, extended with `yyyy/mm/dd/hh/` by the listing */
  readonly prefix: string;
  /** the stack's own bucket: unreadable objects are moved to quarantine; elsewhere they are copied and left */
  readonly owned: boolean;
  /** the bucket's name, for quarantine keys and logs */
  readonly bucket: string;
}

/** the capture source of a model, per its config */
export type CaptureSources = (model: ModelConfig) => CaptureSource;

/**
 * The capture source of each model: the stack store for capture in `capture/`, else a store of the external
 * bucket made by `external` (in the cloud one that signs with the model's access role, fleet design section 4;
 * locally and in tests the same emulator, no role).
 */
export const makeCaptureSources =
  (
    stack: { readonly store: ObjectStore; readonly bucket: string },
    external: (bucket: string, model: ModelConfig) => ObjectStore,
  ): CaptureSources =>
  (model) => {
    const location = captureLocation(model);
    if (model.capture.s3Uri === undefined) {
      return {
        store: stack.store,
        bucket: stack.bucket,
        prefix: captureVariantPrefix(location.endpointName, location.variantName),
        owned: true,
      };
    }
    const root = externalCaptureRoot(model.capture.s3Uri);
    return {
      store: external(root.bucket, model),
      bucket: root.bucket,
      prefix: `${root.prefix}${location.endpointName}/${location.variantName}/`,
      owned: false,
    };
  };
