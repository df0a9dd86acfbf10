import { readFile } from 'node:fs/promises';
import { makeDynamoAlertStateRepository } from '../../../functions/adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoDetectorStateRepository } from '../../../functions/adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoMetricRepository } from '../../../functions/adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRunRepository } from '../../../functions/adapters/dynamodb/dynamodb-run-repository.ts';
import type { ObjectStore } from '../../../functions/adapters/object-store.ts';
import { makeS3ObjectStore } from '../../../functions/adapters/s3/s3-object-store.ts';
import { TABLES, type TableName } from '../../../functions/shared/tables.ts';
import { type DynamoEmulator, useDynalite } from '../../support/dynalite.ts';
import { type S3Emulator, useS3rver } from '../../support/s3rver.ts';

export const BUCKET = 'model-care-data';
export const DATASETS_BUCKET = 'team-datasets';

/** one table per entry of functions/shared/tables.ts, named after its construct id (at least 3 characters) */
export const TABLE_NAMES: Record<TableName, string> = Object.fromEntries(
  Object.entries(TABLES).map(([name, spec]) => [name, `test-${spec.id}`]),
) as Record<TableName, string>;

/** s3rver and dynalite for one test file, and the adapters over them that the handlers take as deps */
export const useHandlerEnvironment = () => {
  const s3 = useS3rver([BUCKET, DATASETS_BUCKET]);
  const dynamo = useDynalite(Object.values(TABLE_NAMES).map((name) => ({ name })));
  const adapters = (emulators: { s3: S3Emulator; dynamo: DynamoEmulator }) => {
    const ddb = emulators.dynamo.documentClient;
    return {
      store: makeS3ObjectStore(BUCKET, emulators.s3.client),
      storeFor: (bucket: string): ObjectStore => makeS3ObjectStore(bucket, emulators.s3.client),
      runs: makeDynamoRunRepository(TABLE_NAMES.runs, ddb),
      series: makeDynamoMetricRepository(TABLE_NAMES.metrics, ddb),
      registry: makeDynamoRegistryRepository(TABLE_NAMES.registry, ddb),
      alerts: makeDynamoAlertStateRepository(TABLE_NAMES.state, ddb),
      detectors: makeDynamoDetectorStateRepository(TABLE_NAMES.state, ddb),
    };
  };
  return {
    get s3() {
      return s3.current;
    },
    get dynamo() {
      return dynamo.current;
    },
    adapters: () => adapters({ s3: s3.current, dynamo: dynamo.current }),
  };
};

export const readText = (path: string): Promise<string> => readFile(path, 'utf8');
