import { mapWithConcurrency } from '../adapters/concurrency.ts';
import { ModelNotFoundError, type ModelSummary } from '../adapters/model-store.ts';
import type { StoreFor } from '../adapters/object-store.ts';
import type { ModelAdmin } from '../admin-api/model-admin.ts';
import { validateModelConfig } from '../admin-api/model-rules.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { describeIssue } from '../handler-kit/job-event.ts';
import { capturePrefix, capturePrefixesOverlap } from '../shared/config/capture-folders.ts';
import { ConfigError } from '../shared/config/config-error.ts';
import { configHash } from '../shared/config/model-config-digest.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { s3Uri } from '../shared/s3-uri.ts';
import {
  type SeedEvent,
  type SeedResult,
  seedEventSchema,
  seedFileSchema,
  stackNameOf,
} from './seed-request.ts';

export interface ModelsSeedDeps {
  readonly admin: ModelAdmin;
  /** the store of the asset bucket (CDK's bootstrap bucket) */
  readonly storeFor: StoreFor;
  readonly logger: HandlerLogger;
  /** models put at once; IAM's and SNS's rate limits are the bound @default 4 */
  readonly concurrency?: number;
}

interface SeedCounts {
  created: number;
  updated: number;
  unchanged: number;
  keptApiVersion: number;
  removed: number;
}

/**
 * `cdk deploy` seeding the models of config/*.json through the same ModelAdmin as the admin API, as principal
 * `cloudformation:<stack>`, marked `source: config-file`:
 * - a model whose config equals the stored one is left alone (its side effects completed if pending);
 * - a model changed in the file is put over the stored version, unless the file's entry is the same as at the
 *   previous deploy and the stored version came from the API: a deploy does not undo an edit made since;
 * - on Update, models that the file seeded and that are gone from it are removed; models created or last
 *   changed through the API are never removed by a deploy;
 * - Delete (the stack or the resource going away) removes nothing: models are data, with their history, and
 *   outlive a stack update that replaces the resource. Remove them with `model-care models remove`.
 */
export const makeModelsSeedHandler = (deps: ModelsSeedDeps) => {
  const { admin, logger } = deps;

  const readModels = async (
    bucket: string,
    key: string,
  ): Promise<{ uri: string; configs: ModelConfig[] }> => {
    const uri = s3Uri(bucket, key);
    const file = seedFileSchema.safeParse(await deps.storeFor(bucket).getJson(key));
    if (!file.success) {
      const issue = file.error.issues[0];
      throw new ConfigError(issue ? describeIssue(uri, issue) : `${uri}: invalid`);
    }
    // every model is checked before any is put: a bad file changes nothing
    const configs = file.data.models.map((input, i) => validateModelConfig(input, `${uri}: models[${i}]`));
    configs.forEach((config, i) => {
      const clash = configs.findIndex(
        (other, j) => j !== i && capturePrefixesOverlap(capturePrefix(config), capturePrefix(other)),
      );
      if (clash >= 0 && clash < i) {
        throw new ConfigError(
          `${uri}: models[${i}].capture: model ${JSON.stringify(config.name)} would read ${capturePrefix(config)}, which overlaps model ${JSON.stringify(configs[clash]?.name)}`,
        );
      }
    });
    return { uri, configs };
  };

  /** the previous deploy's models by name, to tell a file change from an API change; none when unreadable */
  const previousHashes = async (event: SeedEvent): Promise<Map<string, string>> => {
    const old = event.OldResourceProperties;
    if (!old) return new Map();
    try {
      const { configs } = await readModels(old.ConfigBucket, old.ConfigKey);
      return new Map(configs.map((c) => [c.name, configHash(c)]));
    } catch (error) {
      logger.warn('previous models file unreadable: every changed model is put', {
        error: error instanceof Error ? error.message : String(error),
      });
      return new Map();
    }
  };

  const currentOf = async (name: string): Promise<ModelSummary | undefined> => {
    try {
      return (await admin.get(name)).current;
    } catch (error) {
      if (error instanceof ModelNotFoundError) return undefined;
      throw error;
    }
  };

  const seed = async (event: SeedEvent, principal: string): Promise<SeedCounts> => {
    const { uri, configs } = await readModels(
      event.ResourceProperties.ConfigBucket,
      event.ResourceProperties.ConfigKey,
    );
    const before = await previousHashes(event);
    const inFile = new Set(configs.map((c) => c.name));
    // the file's models were checked against each other above; against the rest once here, not once per model
    // (models the file seeded and no longer lists are about to be removed, so they are not in the way)
    const fleet = (await admin.list()).filter((m) => !inFile.has(m.name) && m.source !== 'config-file');
    const counts: SeedCounts = { created: 0, updated: 0, unchanged: 0, keptApiVersion: 0, removed: 0 };
    await mapWithConcurrency(configs, deps.concurrency ?? 4, async (config, i) => {
      const current = await currentOf(config.name);
      const hash = configHash(config);
      const sameAsLastDeploy = before.get(config.name) === hash;
      if (current && current.configHash !== hash && current.source === 'api' && sameAsLastDeploy) {
        logger.info('model kept at its API version: unchanged in the file since the last deploy', {
          model: config.name,
          version: current.version,
        });
        counts.keptApiVersion++;
        return;
      }
      if (current?.status === 'removed' && sameAsLastDeploy) {
        counts.keptApiVersion++;
        return;
      }
      const outcome = await admin.put({
        input: config,
        source: `${uri}: models[${i}]`,
        expectedVersion: current?.version,
        recreate: current?.status === 'removed',
        principal,
        reason: 'cdk deploy',
        origin: 'config-file',
        fleet,
      });
      if (!outcome.changed) counts.unchanged++;
      else if (outcome.record.version === 1 || outcome.record.change === 'recreate') counts.created++;
      else counts.updated++;
    });
    if (event.RequestType === 'Update') {
      const gone = (await admin.list()).filter((m) => m.source === 'config-file' && !inFile.has(m.name));
      await mapWithConcurrency(gone, deps.concurrency ?? 4, async (model) => {
        await admin.remove({
          name: model.name,
          expectedVersion: model.version,
          principal,
          reason: 'removed from the config file',
          origin: 'config-file',
        });
        counts.removed++;
      });
    }
    return counts;
  };

  return async (raw: unknown): Promise<SeedResult> => {
    const parsed = seedEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEventError(issue ? describeIssue('event', issue) : 'event: invalid');
    }
    const event = parsed.data;
    const stack = stackNameOf(event.StackId);
    const physicalId = event.PhysicalResourceId ?? `model-care-models-${stack}`;
    if (event.RequestType === 'Delete') {
      logger.info(
        'models seed deleted: models are data and stay (remove them with model-care models remove)',
        {
          stack,
        },
      );
      return { PhysicalResourceId: physicalId };
    }
    const counts = await seed(event, `cloudformation:${stack}`);
    logger.info('models seeded', { stack, ...counts });
    return { PhysicalResourceId: physicalId, Data: { ...counts } };
  };
};
