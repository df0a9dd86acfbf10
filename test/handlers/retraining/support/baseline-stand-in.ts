import type { StoreFor } from '../../../../functions/adapters/object-store.ts';
import { baselinePrefix } from '../../../../functions/adapters/s3-layout.ts';
import { suggestConstraints } from '../../../../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../../../../functions/engine/baseline/write-statistics.ts';
import { MalformedLog } from '../../../../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../../../../functions/engine/profile/profile-sources.ts';
import type { ModelConfig } from '../../../../functions/shared/config/model-schema.ts';
import type {
  BaselineJobInput,
  BaselineJobResult,
} from '../../../../functions/shared/retraining-contract.ts';
import { parseS3Uri, s3Uri } from '../../../../functions/shared/s3-uri.ts';

/**
 * Stands in for the baseline job (not part of issue 4's steps) where the NewBaseline state invokes it: profiles
 * the requested dataset with the engine and writes Model Monitor's statistics.json and constraints.json under
 * baselines/<model>/<version>/ of the capture store. `fail` makes it throw, to drive a failure after promotion.
 */
export const baselineStandIn = (
  storeFor: StoreFor,
  captureBucket: string,
  // the state machine's payload names the model, as the rule's does; the real job loads the config by name
  configOf: (name: string) => ModelConfig,
) => {
  const requests: BaselineJobInput[] = [];
  let failWith: string | undefined;
  let beforeFailing: (() => void) | undefined;
  const handler = async (event: unknown): Promise<BaselineJobResult> => {
    const input = event as BaselineJobInput;
    requests.push(input);
    if (failWith) {
      beforeFailing?.();
      throw Object.assign(new Error(failWith), { name: 'BaselineJobError' });
    }
    const { detail } = input.trigger;
    const model = configOf(input.model);
    const { bucket, key } = parseS3Uri(detail.datasetUri ?? model.baseline.datasetUri);
    const store = storeFor(bucket);
    const malformed = new MalformedLog();
    const open = async function* () {
      yield* await store.getStream(key);
    };
    const { profile } = await profileSources([{ name: key, open }], {
      malformed,
      header: model.baseline.header,
    });
    const version = detail.version ?? 0;
    const prefix = baselinePrefix(model.name, version);
    const out = storeFor(captureBucket);
    await out.put(`${prefix}statistics.json`, JSON.stringify(toStatisticsFile(profile)), 'application/json');
    await out.put(
      `${prefix}constraints.json`,
      JSON.stringify(suggestConstraints(profile)),
      'application/json',
    );
    return {
      version,
      statisticsUri: s3Uri(captureBucket, `${prefix}statistics.json`),
      constraintsUri: s3Uri(captureBucket, `${prefix}constraints.json`),
    };
  };
  return {
    handler,
    requests,
    /** the next run throws BaselineJobError, after `before` (e.g. to make the endpoint busy for rollback) */
    failNext(message: string, before?: () => void) {
      failWith = message;
      beforeFailing = before;
    },
  };
};
