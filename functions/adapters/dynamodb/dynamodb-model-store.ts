import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { capturePrefix } from '../../shared/config/capture-folders.ts';
import { changedPaths, configHash } from '../../shared/config/model-config-digest.ts';
import { modelConfigSchema } from '../../shared/config/model-schema.ts';
import { MODELS_SCHEDULES_PARTITION } from '../../shared/tables.ts';
import { CorruptRecordError } from '../errors.ts';
import { assertName } from '../key-parts.ts';
import {
  type ModelChange,
  ModelConfigConflictError,
  type ModelHistoryEntry,
  ModelNotFoundError,
  ModelRemovedError,
  type ModelSchedule,
  type ModelStore,
  type ModelSummary,
  type ModelVersionRecord,
  type ModelWriteResult,
} from '../model-store.ts';
import { defaultDocumentClient } from './document-client.ts';
import { fromJsonAttribute, parseInput, parseItem, toJsonAttribute } from './item-parsing.ts';
import { isConditionalCheckFailed } from './keys.ts';

/**
 * A version item holds the config as one JSON string; DynamoDB's item limit is 400 KB including the other
 * attributes, so the config may take 350 KB: about 2,500 features with 128-character names.
 */
export const MAX_CONFIG_BYTES = 350_000;

const CURRENT_SK = 'CURRENT';
const VERSION_PREFIX = 'CONFIG#';
const SCHEDULES_PK = MODELS_SCHEDULES_PARTITION;
const VERSION_DIGITS = 10;

export const modelPartition = (name: string): string => `MODEL#${assertName('model', name)}`;

/** zero-padded so that versions sort numerically: CONFIG#0000000009 < CONFIG#0000000010 */
export const configSort = (version: number): string => {
  if (!Number.isSafeInteger(version) || version < 1 || version >= 10 ** VERSION_DIGITS) {
    throw new ModelNotFoundError('(any)', version);
  }
  return `${VERSION_PREFIX}${String(version).padStart(VERSION_DIGITS, '0')}`;
};

const version = z.number().int().positive();
const source = z.enum(['api', 'config-file']);
const storedVersion = z.object({
  name: z.string(),
  version,
  change: z.enum(['put', 'remove', 'recreate']),
  config: z.string(),
  configHash: z.string(),
  previousVersion: version.nullable(),
  principal: z.string(),
  at: z.string(),
  reason: z.string().optional(),
  source,
  changedPaths: z.array(z.string()),
});
const storedEntry = storedVersion.omit({ config: true });
const storedSummary = z.object({
  name: z.string(),
  version,
  status: z.enum(['active', 'removed']),
  configHash: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  source,
  appliedVersion: version.nullable().default(null),
  capturePrefix: z.string(),
});
const storedSchedule = z.object({
  name: z.string(),
  version,
  status: z.enum(['active', 'removed']),
  data: z.string(),
  quality: z.string(),
  dataWindowMinutes: z.number(),
  qualityWindowMinutes: z.number(),
  graceMinutes: z.number(),
});

/** read-your-write everywhere: a writer deciding on a version must see the latest one */
const CONSISTENT = { ConsistentRead: true } as const;

/**
 * The ModelStore on one DynamoDB table (functions/shared/tables.ts `models`). DynamoDB Local emulators have
 * no transactions, and none are needed: the version item is the claim (`attribute_not_exists(sk)`), so of two
 * writers expecting the same version exactly one wins; the pointer (`CURRENT`) and the fleet index (`SCHEDULES`)
 * follow, each moved only forwards. A writer that finds the pointer behind the newest version (a crash between
 * the writes) rolls it forward before it decides anything, so nothing stays behind for long.
 */
export const makeDynamoModelStore = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): ModelStore => {
  const describe = (pk: string, sk: string) => `${pk} / ${sk}`;

  const toRecord = (item: Record<string, unknown>): ModelVersionRecord => {
    const key = describe(String(item.pk), String(item.sk));
    const { pk: _pk, sk: _sk, ...rest } = item;
    const stored = parseItem(storedVersion, table, key, rest);
    const parsed = modelConfigSchema.safeParse(fromJsonAttribute(table, key, stored.config));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = issue ? `config ${issue.path.join('.')}: ${issue.message}` : 'invalid config';
      throw new CorruptRecordError(
        table,
        key,
        `${reason} (a manual edit, or a schema change without migration)`,
      );
    }
    return { ...stored, config: parsed.data };
  };

  // zod objects drop the keys they do not name: the index item's schedule fields, pk and sk
  const toSummary = (item: Record<string, unknown>): ModelSummary =>
    parseItem(storedSummary, table, describe(String(item.pk), String(item.sk)), item);

  const summaryOf = (record: ModelVersionRecord, appliedVersion: number | null): ModelSummary => ({
    name: record.name,
    version: record.version,
    status: record.change === 'remove' ? 'removed' : 'active',
    configHash: record.configHash,
    updatedAt: record.at,
    updatedBy: record.principal,
    source: record.source,
    appliedVersion,
    capturePrefix: capturePrefix(record.config),
  });

  const latestVersion = async (name: string): Promise<ModelVersionRecord | undefined> => {
    const { Items } = await ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': modelPartition(name), ':prefix': VERSION_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ...CONSISTENT,
      }),
    );
    const item = Items?.[0];
    return item ? toRecord(item) : undefined;
  };

  const getVersion = async (name: string, v: number): Promise<ModelVersionRecord | undefined> => {
    const { Item } = await ddb.send(
      new GetCommand({
        TableName: table,
        Key: { pk: modelPartition(name), sk: configSort(v) },
        ...CONSISTENT,
      }),
    );
    return Item ? toRecord(Item) : undefined;
  };

  const getCurrent = async (name: string): Promise<ModelSummary | undefined> => {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: table, Key: { pk: modelPartition(name), sk: CURRENT_SK }, ...CONSISTENT }),
    );
    return Item ? toSummary(Item) : undefined;
  };

  /** the summary as item attributes: no applied version is no attribute (a NULL would defeat `<` in conditions) */
  const summaryAttributes = ({ appliedVersion, ...rest }: ModelSummary) => ({
    ...rest,
    ...(appliedVersion === null ? {} : { appliedVersion }),
  });

  /** moves an item forwards only: a slower writer can never put an older version back */
  const forwardOnly = (summary: ModelSummary) => ({
    ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': summary.version },
  });

  const putIgnoringStale = async (input: ConstructorParameters<typeof PutCommand>[0]): Promise<boolean> => {
    try {
      await ddb.send(new PutCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  const writeIndex = (record: ModelVersionRecord, summary: ModelSummary) =>
    putIgnoringStale({
      TableName: table,
      Item: {
        pk: SCHEDULES_PK,
        sk: record.name,
        ...summaryAttributes(summary),
        data: record.config.schedules.data,
        quality: record.config.schedules.quality,
        dataWindowMinutes: record.config.schedules.dataWindowMinutes,
        qualityWindowMinutes: record.config.schedules.qualityWindowMinutes,
        // a config stored before `schedules.graceMinutes` existed parses with the schema's default
        graceMinutes: record.config.schedules.graceMinutes,
      },
      ...forwardOnly(summary),
    });

  /** repairs the pointer and the index to `record` (the newest version), keeping what is already applied */
  const rollForward = async (record: ModelVersionRecord, current: ModelSummary | undefined) => {
    const summary = summaryOf(record, current?.appliedVersion ?? null);
    await writeIndex(record, summary);
    await putIgnoringStale({
      TableName: table,
      Item: { pk: modelPartition(record.name), sk: CURRENT_SK, ...summaryAttributes(summary) },
      ...forwardOnly(summary),
    });
    return summary;
  };

  /** the newest version and the pointer to it, repaired first when a crashed writer left it behind */
  const readLatest = async (
    name: string,
  ): Promise<{ record: ModelVersionRecord; current: ModelSummary } | undefined> => {
    const [record, current] = await Promise.all([latestVersion(name), getCurrent(name)]);
    if (!record) return undefined;
    if (current && current.version >= record.version) return { record, current };
    return { record, current: await rollForward(record, current) };
  };

  const write = async (
    previous: { record: ModelVersionRecord; current: ModelSummary } | undefined,
    next: Omit<ModelVersionRecord, 'changedPaths'>,
    configText: string,
  ): Promise<{ record: ModelVersionRecord; current: ModelSummary } | undefined> => {
    const record: ModelVersionRecord = {
      ...next,
      changedPaths:
        previous && next.change !== 'remove' ? changedPaths(previous.record.config, next.config) : [],
    };
    const { config: _config, ...attributes } = record;
    try {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: modelPartition(record.name),
            sk: configSort(record.version),
            ...attributes,
            config: configText,
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
    const summary = summaryOf(record, previous?.current.appliedVersion ?? null);
    await writeIndex(record, summary);
    const moved = await putIgnoringStale({
      TableName: table,
      Item: { pk: modelPartition(record.name), sk: CURRENT_SK, ...summaryAttributes(summary) },
      ...(previous
        ? {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': previous.current.version },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    });
    // the pointer was not where this writer left it: someone repaired it meanwhile; roll it forward again
    if (!moved) await readLatest(record.name);
    return { record, current: summary };
  };

  const unchanged = (latest: { record: ModelVersionRecord; current: ModelSummary }): ModelWriteResult => ({
    record: latest.record,
    current: latest.current,
    changed: false,
  });

  // the fleet index: one item per model, read by list() and schedules() alike
  const fleetPages = () =>
    paginateQuery(
      { client: ddb },
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SCHEDULES_PK },
        ...CONSISTENT,
      },
    );

  return {
    async get(name, v) {
      const latest = await readLatest(name);
      if (!latest) throw new ModelNotFoundError(name);
      if (v === undefined || v === latest.record.version) return latest;
      const record = v > latest.record.version ? undefined : await getVersion(name, v);
      if (!record) throw new ModelNotFoundError(name, v);
      return { record, current: latest.current };
    },

    async list(options = {}) {
      const models: ModelSummary[] = [];
      for await (const page of fleetPages()) {
        for (const item of page.Items ?? []) {
          const summary = toSummary(item);
          if (options.includeRemoved || summary.status === 'active') models.push(summary);
        }
      }
      return models;
    },

    async put(input, options) {
      const config = parseInput(modelConfigSchema, 'model config', input);
      const hash = configHash(config);
      const configText = toJsonAttribute(`config of model ${config.name}`, config, MAX_CONFIG_BYTES);
      const latest = await readLatest(config.name);
      let change: ModelChange = 'put';
      if (!latest) {
        if (options.expectedVersion !== undefined) throw new ModelNotFoundError(config.name);
      } else if (latest.current.status === 'removed') {
        if (!options.recreate) throw new ModelRemovedError(config.name, latest.current.version);
        const expected = options.expectedVersion ?? latest.current.version;
        if (expected !== latest.current.version) {
          throw new ModelConfigConflictError(config.name, expected, latest.current.version, 'removed');
        }
        change = 'recreate';
      } else {
        if (latest.current.configHash === hash) return unchanged(latest);
        if (options.recreate || options.expectedVersion !== latest.current.version) {
          throw new ModelConfigConflictError(
            config.name,
            options.recreate ? undefined : options.expectedVersion,
            latest.current.version,
          );
        }
      }
      const next = {
        name: config.name,
        version: (latest?.record.version ?? 0) + 1,
        change,
        config,
        configHash: hash,
        previousVersion: latest?.record.version ?? null,
        principal: options.principal,
        at: (options.now ?? new Date()).toISOString(),
        ...(options.reason ? { reason: options.reason } : {}),
        source: options.source ?? 'api',
      } satisfies Omit<ModelVersionRecord, 'changedPaths'>;
      const written = await write(latest, next, configText);
      if (written) return { ...written, changed: true };
      // another writer claimed the version first
      const winner = await readLatest(config.name);
      if (winner && winner.current.status === 'active' && winner.current.configHash === hash) {
        return unchanged(winner);
      }
      throw new ModelConfigConflictError(
        config.name,
        options.expectedVersion,
        winner?.current.version ?? next.version,
        winner?.current.status,
      );
    },

    async remove(name, options) {
      const latest = await readLatest(name);
      if (!latest) throw new ModelNotFoundError(name);
      if (latest.current.status === 'removed') {
        if (latest.record.previousVersion === options.expectedVersion) return unchanged(latest);
        throw new ModelRemovedError(name, latest.current.version);
      }
      if (options.expectedVersion !== latest.current.version) {
        throw new ModelConfigConflictError(name, options.expectedVersion, latest.current.version);
      }
      const next = {
        name,
        version: latest.record.version + 1,
        change: 'remove' as const,
        config: latest.record.config,
        configHash: latest.record.configHash,
        previousVersion: latest.record.version,
        principal: options.principal,
        at: (options.now ?? new Date()).toISOString(),
        ...(options.reason ? { reason: options.reason } : {}),
        source: options.source ?? 'api',
      };
      const written = await write(latest, next, toJsonAttribute('config', next.config, MAX_CONFIG_BYTES));
      if (written) return { ...written, changed: true };
      const winner = await readLatest(name);
      if (winner?.current.status === 'removed' && winner.record.previousVersion === options.expectedVersion) {
        return unchanged(winner);
      }
      throw new ModelConfigConflictError(
        name,
        options.expectedVersion,
        winner?.current.version ?? next.version,
        winner?.current.status,
      );
    },

    async history(name) {
      const pk = modelPartition(name);
      const entries: ModelHistoryEntry[] = [];
      for await (const page of paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': VERSION_PREFIX },
          ...CONSISTENT,
        },
      )) {
        for (const item of page.Items ?? []) {
          entries.push(parseItem(storedEntry, table, describe(pk, String(item.sk)), item));
        }
      }
      if (entries.length === 0) throw new ModelNotFoundError(name);
      return entries;
    },

    async schedules(options = {}) {
      const schedules: ModelSchedule[] = [];
      for await (const page of fleetPages()) {
        for (const item of page.Items ?? []) {
          try {
            schedules.push(
              parseItem(storedSchedule, table, describe(String(item.pk), String(item.sk)), item),
            );
          } catch (error) {
            if (!(error instanceof CorruptRecordError) || !options.onCorrupt) throw error;
            options.onCorrupt(error);
          }
        }
      }
      return schedules;
    },

    async markApplied(name, v) {
      const mark = (pk: string, sk: string) =>
        ddb
          .send(
            new UpdateCommand({
              TableName: table,
              Key: { pk, sk },
              UpdateExpression: 'SET appliedVersion = :version',
              ConditionExpression:
                '#version = :version AND (attribute_not_exists(appliedVersion) OR appliedVersion < :version)',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': v },
            }),
          )
          .catch((error: unknown) => {
            if (!isConditionalCheckFailed(error)) throw error;
          });
      await Promise.all([mark(modelPartition(name), CURRENT_SK), mark(SCHEDULES_PK, name)]);
    },
  };
};
