import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { CorruptRecordError } from './errors.ts';

/**
 * Model configs as data (issue 16): every version kept, each change recorded with who, when, why and where from.
 * Implementation: dynamodb/dynamodb-model-store.ts (the key design is in functions/shared/tables.ts).
 *
 * Writers use optimistic concurrency: a put names the version it read (`expectedVersion`), and a put on
 * anything else is refused with the current version, so two people editing one model never lose a change.
 * The store takes parsed configs only (`parseModelConfig`); validating is the caller's job (ModelAdmin), and
 * the store checks once more so that nothing invalid is ever stored.
 */

export type ModelStatus = 'active' | 'removed';
/** how a version came about; `recreate` reuses the name of a removed model */
export type ModelChange = 'put' | 'remove' | 'recreate';
/** the admin API (people, tools) or `cdk deploy` seeding the models of config/*.json */
export type ModelSource = 'api' | 'config-file';

/** one version, immutable once written */
export interface ModelVersionRecord {
  readonly name: string;
  readonly version: number;
  readonly change: ModelChange;
  /** for a removal: the config that was removed */
  readonly config: ModelConfig;
  readonly configHash: string;
  /** the version this one replaced; null for a model's first version */
  readonly previousVersion: number | null;
  /** who: the caller's IAM principal ARN, or `cloudformation:<stack>` for seeding */
  readonly principal: string;
  /** when, ISO-8601 */
  readonly at: string;
  readonly reason?: string;
  readonly source: ModelSource;
  /** the fields this version changed against the previous one (the first 20) */
  readonly changedPaths: readonly string[];
}

export type ModelHistoryEntry = Omit<ModelVersionRecord, 'config'>;

/** a model as `models list` shows it */
export interface ModelSummary {
  readonly name: string;
  readonly version: number;
  readonly status: ModelStatus;
  readonly configHash: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly source: ModelSource;
  /**
   * the latest version whose side effects (IAM roles, alert subscriptions) are known to be in place; behind
   * `version` while they are being applied or after they failed (the next put or seed applies them again)
   */
  readonly appliedVersion: number | null;
  /** the capture prefix the model reads (capture-prefix.ts), so overlaps are found without loading configs */
  readonly capturePrefix: string;
}

/** what the dispatcher needs of every model, from one small item per model */
export interface ModelSchedule {
  readonly name: string;
  readonly version: number;
  readonly status: ModelStatus;
  readonly data: string;
  readonly quality: string;
  readonly dataWindowMinutes: number;
  readonly qualityWindowMinutes: number;
  readonly graceMinutes: number;
}

export interface ScheduleReadOptions {
  /**
   * An index item that does not parse is skipped and reported here, so one hand-edited item cannot stop the
   * fleet's dispatch; without a listener such an item rejects the read.
   */
  readonly onCorrupt?: (error: CorruptRecordError) => void;
}

export interface StoredModel {
  readonly record: ModelVersionRecord;
  readonly current: ModelSummary;
}

export interface PutModelOptions {
  /** the version the caller read; absent: create only (refused when the name exists) */
  readonly expectedVersion?: number;
  readonly principal: string;
  readonly reason?: string;
  /** reuse the name of a removed model; the expected version defaults to the removal's */
  readonly recreate?: boolean;
  /** @default 'api' */
  readonly source?: ModelSource;
  readonly now?: Date;
}

export interface RemoveModelOptions {
  readonly expectedVersion: number;
  readonly principal: string;
  readonly reason?: string;
  /** @default 'api' */
  readonly source?: ModelSource;
  readonly now?: Date;
}

export interface ModelWriteResult {
  /** the version now current: the new one, or the unchanged current one */
  readonly record: ModelVersionRecord;
  /** false when nothing was written: the config equals the current one, or a retried removal */
  readonly changed: boolean;
  readonly current: ModelSummary;
}

export interface ModelStore {
  /**
   * The current version (a removal's tombstone for a removed model), or the given one. Rejects with
   * ModelNotFoundError for a name never stored or a version that does not exist.
   */
  get(name: string, version?: number): Promise<StoredModel>;
  /** every model, by name; removed ones only when asked */
  list(options?: { includeRemoved?: boolean }): Promise<ModelSummary[]>;
  /**
   * Stores a new version. A config equal to the current one (same hash) changes nothing and succeeds whatever
   * the expected version: a retried put converges. Rejects with ModelConfigConflictError when the model changed
   * since `expectedVersion` (or exists, for a create), ModelRemovedError for a removed name without `recreate`.
   */
  put(config: ModelConfig, options: PutModelOptions): Promise<ModelWriteResult>;
  /**
   * Removes a model: a tombstone version, history kept. A retried removal (the model was removed from
   * `expectedVersion`) succeeds with `changed: false`. Rejects like put, and with ModelNotFoundError.
   */
  remove(name: string, options: RemoveModelOptions): Promise<ModelWriteResult>;
  /** every version, oldest first, without the configs */
  history(name: string): Promise<ModelHistoryEntry[]>;
  /** every model's schedule, removed ones included (with their status) */
  schedules(options?: ScheduleReadOptions): Promise<ModelSchedule[]>;
  /** records that the side effects of `version` are in place; ignored when the model has moved on */
  markApplied(name: string, version: number): Promise<void>;
}

/** The model changed since the version the caller read (or exists, for a create). */
export class ModelConfigConflictError extends Error {
  override readonly name = 'ModelConfigConflictError';
  constructor(
    readonly model: string,
    readonly expectedVersion: number | undefined,
    readonly currentVersion: number,
    readonly status: ModelStatus = 'active',
  ) {
    super(
      expectedVersion === undefined
        ? `model ${model} already exists at version ${currentVersion}: pass the version you read to change it`
        : `model ${model} changed since version ${expectedVersion} (now ${currentVersion}): get it again`,
    );
  }
}

export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
  constructor(
    readonly model: string,
    readonly version?: number,
  ) {
    super(version === undefined ? `unknown model ${model}` : `model ${model} has no version ${version}`);
  }
}

/** The model was removed; its name is reused only with `recreate`. */
export class ModelRemovedError extends Error {
  override readonly name = 'ModelRemovedError';
  constructor(
    readonly model: string,
    readonly removedVersion: number,
  ) {
    super(`model ${model} was removed (version ${removedVersion}): put it with recreate to reuse the name`);
  }
}
