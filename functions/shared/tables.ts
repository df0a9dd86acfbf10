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
} as const;

export type TableName = keyof typeof TABLES;
