import type { AuditLog } from '../adapters/audit-log.ts';
import type { ModelRoles } from '../adapters/model-roles.ts';
import type {
  ModelHistoryEntry,
  ModelSource,
  ModelStore,
  ModelSummary,
  ModelWriteResult,
  StoredModel,
} from '../adapters/model-store.ts';
import type { ModelSubscriptions } from '../adapters/model-subscriptions.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { recordChange } from './config-audit.ts';
import { assertOwnCapture, validateModelConfig } from './model-rules.ts';
import { type AppliedSideEffects, applySideEffects } from './model-side-effects.ts';

/**
 * The one way a model config is written, for the admin API and for `cdk deploy` seeding alike: validate with
 * the one config schema and the fleet rules (nothing is stored when they fail), store the new version with
 * optimistic concurrency, then bring the model's IAM roles and alert subscriptions in line with it.
 */

export interface ModelAdminDeps {
  readonly store: ModelStore;
  readonly roles: ModelRoles;
  readonly subscriptions: ModelSubscriptions;
  readonly logger: HandlerLogger;
  readonly now?: () => Date;
  /** records every change (config.put, config.removed); @default - not recorded (tests of other concerns) */
  readonly audit?: AuditLog;
}

export interface PutModelRequest {
  /** the config as received, not yet validated */
  readonly input: unknown;
  /** names the input in error messages: `body`, a file name, `models[3]` */
  readonly source: string;
  /** the model the request addresses (the URL path); the config's name must match it */
  readonly name?: string;
  readonly expectedVersion?: number;
  readonly recreate?: boolean;
  readonly principal: string;
  readonly reason?: string;
  /** @default 'api' */
  readonly origin?: ModelSource;
  /**
   * the models to check the capture prefix against, for callers putting many at once (seeding reads the fleet
   * once instead of once per model); @default - the active models, read now
   */
  readonly fleet?: readonly ModelSummary[];
}

export interface RemoveModelRequest {
  readonly name: string;
  readonly expectedVersion: number;
  readonly principal: string;
  readonly reason?: string;
  /** @default 'api' */
  readonly origin?: ModelSource;
}

export type ModelChangeOutcome = ModelWriteResult & { readonly sideEffects: AppliedSideEffects };

export interface ModelAdmin {
  put(request: PutModelRequest): Promise<ModelChangeOutcome>;
  remove(request: RemoveModelRequest): Promise<ModelChangeOutcome>;
  get(name: string, version?: number): Promise<StoredModel>;
  list(options?: { includeRemoved?: boolean }): Promise<ModelSummary[]>;
  history(name: string): Promise<ModelHistoryEntry[]>;
}

export const makeModelAdmin = (deps: ModelAdminDeps): ModelAdmin => {
  const { store, logger } = deps;
  const now = deps.now ?? (() => new Date());

  const complete = async (result: ModelWriteResult): Promise<ModelChangeOutcome> => {
    // recorded before the side effects: they may fail and be retried, the stored change stands either way
    if (deps.audit && result.changed) await recordChange(deps.audit, store, result.record);
    const sideEffects = await applySideEffects(deps, result.record, result.current);
    logger.info('model changed', {
      model: result.record.name,
      version: result.record.version,
      change: result.record.change,
      changed: result.changed,
      principal: result.record.principal,
      sideEffectsApplied: sideEffects.applied,
      subscriptions: sideEffects.subscriptions,
    });
    return { ...result, sideEffects };
  };

  return {
    async put(request) {
      const config = validateModelConfig(request.input, request.source, request.name);
      assertOwnCapture(config, request.fleet ?? (await store.list()), request.source);
      const result = await store.put(config, {
        expectedVersion: request.expectedVersion,
        recreate: request.recreate,
        principal: request.principal,
        reason: request.reason,
        source: request.origin ?? 'api',
        now: now(),
      });
      return complete(result);
    },

    async remove(request) {
      const result = await store.remove(request.name, {
        expectedVersion: request.expectedVersion,
        principal: request.principal,
        reason: request.reason,
        source: request.origin ?? 'api',
        now: now(),
      });
      return complete(result);
    },

    get: (name, version) => store.get(name, version),
    list: (options) => store.list(options),
    history: (name) => store.history(name),
  };
};
