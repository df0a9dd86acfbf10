import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../functions/adapters/dynamodb/document-client.ts';
import { TABLE_KEYS } from '../functions/shared/tables.ts';

/**
 * The embedded emulators behind the local runtime (`npm start`) and the adapter tests: s3rver for S3 and
 * dynalite for DynamoDB, both speaking the real wire protocols on loopback, plus SDK clients configured for
 * them. One place, so the tests exercise exactly the start-up the local twin uses.
 */

// neither package ships type declarations; these are the parts used here
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;
interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type DynaliteFactory = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => DynaliteServer;

const require = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';
/** the credentials s3rver checks signatures against */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
/** dynalite accepts any signature; fixed values keep the SDK from walking the credential chain */
const DYNALITE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

export interface S3Emulator {
  readonly endpoint: string;
  readonly port: number;
  /** where s3rver keeps the objects on disk */
  readonly directory: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface S3EmulatorOptions {
  /** 0 (the default) picks a free port */
  readonly port?: number;
  /** a directory to keep objects in across restarts; by default a fresh temporary one, removed on stop */
  readonly directory?: string;
  readonly buckets?: readonly string[];
}

/**
 * An S3 client for s3rver. Path-style because s3rver has no DNS for virtual hosts; checksums only when
 * required, because with the SDK's default checksums a streamed body is stored with its aws-chunked framing.
 */
export const makeS3EmulatorClient = (endpoint: string): S3Client =>
  new S3Client({
    endpoint,
    region: REGION,
    credentials: S3RVER_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

export const startS3Emulator = async (options: S3EmulatorOptions = {}): Promise<S3Emulator> => {
  const S3rver = require('s3rver') as S3rverConstructor;
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'model-care-s3-')));
  const server = new S3rver({
    address: LOOPBACK,
    port: options.port ?? 0,
    directory,
    silent: true,
    resetOnClose: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = makeS3EmulatorClient(endpoint);
  return {
    endpoint,
    port,
    directory,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      await server.close();
      if (ownsDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
};

/** A table as the emulator creates it; keys default to the shared `pk` / `sk` design (functions/shared/tables.ts). */
export interface TableSpec {
  readonly name: string;
  /** @default 'pk' */
  readonly partitionKey?: string;
  /** `null` for a table without a sort key; @default 'sk' */
  readonly sortKey?: string | null;
  readonly globalIndexes?: readonly { name: string; partitionKey: string; sortKey?: string }[];
}

export interface DynamoEmulator {
  readonly endpoint: string;
  readonly port: number;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  createTable(spec: TableSpec): Promise<void>;
  stop(): Promise<void>;
}

export interface DynamoEmulatorOptions {
  /** 0 (the default) picks a free port */
  readonly port?: number;
  readonly tables?: readonly TableSpec[];
}

export const makeDynamoEmulatorClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: REGION, credentials: DYNALITE_CREDENTIALS });

export const startDynamoEmulator = async (options: DynamoEmulatorOptions = {}): Promise<DynamoEmulator> => {
  const dynalite = require('dynalite') as DynaliteFactory;
  // in memory (no `path`), and tables become ACTIVE at once instead of after dynalite's default 500 ms
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) =>
    server.listen(options.port ?? 0, LOOPBACK, (error) => (error ? reject(error) : resolve())),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite is not listening on TCP');
  const endpoint = `http://${LOOPBACK}:${address.port}`;
  const client = makeDynamoEmulatorClient(endpoint);
  const emulator: DynamoEmulator = {
    endpoint,
    port: address.port,
    client,
    documentClient: makeDocumentClient(client),
    createTable: (spec) => createTable(client, spec),
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
  for (const spec of options.tables ?? []) await emulator.createTable(spec);
  return emulator;
};

const createTable = async (client: DynamoDBClient, spec: TableSpec): Promise<void> => {
  const partitionKey = spec.partitionKey ?? TABLE_KEYS.partitionKey;
  const sortKey = spec.sortKey === undefined ? TABLE_KEYS.sortKey : spec.sortKey;
  const keySchema = (pk: string, sk: string | null | undefined): KeySchemaElement[] => [
    { AttributeName: pk, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : []),
  ];
  const names = new Set<string>([partitionKey, ...(sortKey ? [sortKey] : [])]);
  const indexes: GlobalSecondaryIndex[] = (spec.globalIndexes ?? []).map((index) => {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
    return {
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    };
  });
  const attributes: AttributeDefinition[] = [...names].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  await client.send(
    new CreateTableCommand({
      TableName: spec.name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keySchema(partitionKey, sortKey),
      AttributeDefinitions: attributes,
      ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
    }),
  );
  // createTableMs is 0, but the status still flips asynchronously
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: spec.name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${spec.name} did not become ACTIVE`);
};
