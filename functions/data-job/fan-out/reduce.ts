import { captureVariantPrefix } from '../../adapters/s3-layout.ts';
import { DatasetProfile } from '../../engine/profile/dataset-profile.ts';
import { MalformedLog } from '../../engine/profile/malformed-log.ts';
import { mergeProfileParts, type ProfilePartJson } from '../../engine/profile/profile-parts.ts';
import { partitionTimes } from '../../handler-kit/capture-objects.ts';
import { parseEventPart, parseJobEvent } from '../../handler-kit/job-event.ts';
import { captureLocation } from '../../shared/config/model-settings.ts';
import type { DataJobDeps, DataJobResult } from '../data-job-deps.ts';
import { openDataRun, recordDataRun, recordFailedDataRun, requireCurrentBaseline } from '../data-run.ts';
import { captureSchema, type WindowProfile } from '../window-profile.ts';
import { fanOutDetailSchema, reduceInputSchema } from './fan-out-contract.ts';

/**
 * The fan-out's last state: merges the parts' profiles (`mergeProfileParts`: exact counts, sums, extremes
 * and categories; sketches within bound) and finishes the run through the data job's own `recordDataRun`,
 * so a fanned-out window gets the same reports, run record, metrics and event as one the data job profiled.
 */
export const makeFanOutReduceHandler = (deps: DataJobDeps) => {
  const { store } = deps;
  return async (event: unknown): Promise<DataJobResult> => {
    const { model, trigger } = parseJobEvent(event, fanOutDetailSchema);
    const { parts } = parseEventPart(reduceInputSchema, event, 'event');
    const { window, runId, startedAt } = openDataRun(model, trigger, deps.now());
    try {
      const current = await requireCurrentBaseline(store, model.name);
      const jsons: ProfilePartJson[] = [];
      for (const { key } of parts) jsons.push((await store.getJson(key)) as ProfilePartJson);
      const schema = captureSchema(model);
      const merged =
        jsons.length > 0
          ? mergeProfileParts(jsons)
          : {
              profile: new DatasetProfile([...(schema.inputNames ?? []), ...(schema.outputNames ?? [])]),
              malformed: new MalformedLog(),
            };
      // as the window profile does: the count is every malformed record, the samples the first few
      merged.malformed.count = merged.profile.malformed;
      const sources = [...new Set(jsons.map((p) => p.source))];
      const location = captureLocation(model);
      const prefix = captureVariantPrefix(location.endpointName, location.variantName);
      const hours = new Set(sources.map((key) => partitionTimes(prefix, key)?.hour.getTime()));
      const captured: WindowProfile = {
        profile: merged.profile,
        objects: sources.length,
        quarantined: [],
        quarantinedNow: 0,
        malformed: merged.malformed,
        hours: { fromProfiles: 0, fromCapture: hours.size },
      };
      return await recordDataRun(deps, { model, window, runId, startedAt, current, captured });
    } catch (error) {
      await recordFailedDataRun(deps, model.name, { window, runId, startedAt }, error);
      throw error;
    }
  };
};
