import type { TableSpec } from '../support/dynalite.ts';

/** Table names for the adapter tests; every table uses the shared pk/sk key design. */
export const TEST_TABLES = {
  runs: 'mc-runs',
  metrics: 'mc-metrics',
  registry: 'mc-registry',
  state: 'mc-state',
} as const;

export const TEST_TABLE_SPECS: TableSpec[] = Object.values(TEST_TABLES).map((name) => ({ name }));
