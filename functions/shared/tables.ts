/**
 * The DynamoDB tables' key design, shared by the CDK constructs (lib/) that create the tables and the
 * repositories (functions/adapters/) that use them, so the two cannot disagree.
 *
 * Every table uses generic string keys `pk` / `sk` so that one access pattern can be added later without a
 * migration; what goes into them is documented per table below. `expiresAt` (epoch seconds) is the TTL
 * attribute where a table has one.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;

export const TABLES = {
  /** one item per monitoring run: pk `MODEL#<model>#JOB#<job>`, sk `<windowStartIso>`; re-runs overwrite */
  runs: { id: 'RunsTable', ttl: false },
  /** metric time series: pk `MODEL#<model>#FEATURE#<feature>#METRIC#<metric>`, sk `<windowStartIso>`; TTL */
  metrics: { id: 'MetricsTable', ttl: true },
  /** model registry: pk `MODEL#<model>`, sk `VERSION#<zero-padded version>` or `CHAMPION` */
  registry: { id: 'RegistryTable', ttl: false },
  /** alert dedupe/cooldown (`ALERT#<model>#<check>`), job locks (`LOCK#<model>#<name>`), detector state; TTL */
  state: { id: 'StateTable', ttl: true },
  /**
   * Model configs as data (issue 16), versioned with optimistic concurrency; no TTL, history is kept:
   * - pk `MODEL#<model>`, sk `CURRENT`: the pointer `{ version, status: active | removed, configHash, updatedAt,
   *   updatedBy, source, appliedVersion }`, moved only with a condition on the version it expects
   * - pk `MODEL#<model>`, sk `CONFIG#<10-digit version>`: one immutable item per version, written with
   *   `attribute_not_exists(sk)` (the write *is* the claim of the version) `{ version, change: put | remove |
   *   recreate, config (JSON string, validated, defaults resolved), configHash, previousVersion, principal, at,
   *   reason, source, changedPaths }`
   * - pk `SCHEDULES`, sk `<model>`: one small item per model `{ version, status, data, quality,
   *   dataWindowMinutes, qualityWindowMinutes, graceMinutes, captureLocation, ... }` so the dispatcher and
   *   `models list` read the fleet in one Query page or two
   */
  models: { id: 'ModelsTable', ttl: false },
} as const;

export type TableName = keyof typeof TABLES;

/** the models table's fleet index partition: the dispatcher's role may read this partition and no other */
export const MODELS_SCHEDULES_PARTITION = 'SCHEDULES';

/**
 * The audit trail (functions/shared/audit/): append-only, one hash chain per model, never expiring (no TTL).
 * pk `AUDIT#<model>`, sk `SEQ#<12-digit seq>`; an entry claims its position with `attribute_not_exists(pk)`,
 * so two writers can never both write position n. Items: `model, seq, at, principal, action, reason,
 * beforeJson, afterJson` (canonical JSON), `prevHash, hash, format`.
 *
 * Not in TABLES yet: the stack creates the tables listed there, and this one is added when the recording points
 * are wired (grant writers PutItem + Query only, readers Query; export the name as the stack output below).
 */
export const AUDIT_TABLE = {
  id: 'AuditTable',
  ttl: false,
  /** the CloudFormation output holding the table's name; `model-care audit --stack` reads it */
  outputKey: 'AuditTableName',
} as const;
