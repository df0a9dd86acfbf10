import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { StaleChampionError, VersionExistsError, VersionNotFoundError } from '../errors.ts';
import type { Champion, ModelVersion, RegistryRepository } from '../registry-repository.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseInput, parseItem } from './item-parsing.ts';
import {
  CHAMPION_SK,
  isConditionalCheckFailed,
  registryPartition,
  VERSION_PREFIX,
  versionSort,
} from './keys.ts';

const versionNumber = z.number().int().positive();
const newVersion = z.object({
  version: versionNumber,
  createdAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO-8601 instant'),
  artifactUri: z.string().min(1),
  trainingJobName: z.string().min(1).optional(),
  sagemakerModelName: z.string().min(1).optional(),
  dataManifestKey: z.string().min(1).optional(),
  baselinePrefix: z.string().min(1).optional(),
  evaluation: z.record(z.string(), z.number().finite()),
});
const storedVersion = newVersion.extend({ model: z.string() });
const storedChampion = z.object({
  model: z.string(),
  version: versionNumber,
  since: z.string(),
  previousVersion: versionNumber.nullable(),
});

export const makeDynamoRegistryRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
): RegistryRepository => {
  const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => rest;

  const getVersion = async (model: string, version: number): Promise<ModelVersion | undefined> => {
    const key = { pk: registryPartition(model), sk: versionSort(version) };
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item ? parseItem(storedVersion, table, `${key.pk} / ${key.sk}`, strip(Item)) : undefined;
  };

  const getChampion = async (model: string): Promise<Champion | undefined> => {
    const key = { pk: registryPartition(model), sk: CHAMPION_SK };
    const { Item } = await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item ? parseItem(storedChampion, table, `${key.pk} / ${key.sk}`, strip(Item)) : undefined;
  };

  return {
    async registerVersion(model, input) {
      const record: ModelVersion = { ...parseInput(newVersion, 'model version', input), model };
      const key = { pk: registryPartition(model), sk: versionSort(record.version) };
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: { ...key, ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new VersionExistsError(model, record.version);
        throw error;
      }
      return record;
    },

    getVersion,

    async listVersions(model) {
      const pk = registryPartition(model);
      const versions: ModelVersion[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': VERSION_PREFIX },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          versions.push(parseItem(storedVersion, table, `${pk} / ${String(item.sk)}`, strip(item)));
        }
      }
      return versions;
    },

    async latestVersion(model) {
      const pk = registryPartition(model);
      const { Items } = await ddb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': VERSION_PREFIX },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const item = Items?.[0];
      return item ? parseItem(storedVersion, table, `${pk} / ${String(item.sk)}`, strip(item)) : undefined;
    },

    getChampion,

    async setChampion(model, version, expectedCurrent, now = new Date()) {
      // versions are never deleted, so checking first and writing after cannot race
      if (!(await getVersion(model, version))) throw new VersionNotFoundError(model, version);
      if (version === expectedCurrent) {
        // nothing to change; writing would overwrite previousVersion and lose the rollback target
        const actual = await getChampion(model);
        if (actual?.version === version) return actual;
        throw new StaleChampionError(model, expectedCurrent, actual?.version ?? null);
      }
      const champion: Champion = {
        model,
        version,
        since: now.toISOString(),
        previousVersion: expectedCurrent,
      };
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: { pk: registryPartition(model), sk: CHAMPION_SK, ...champion },
            ...(expectedCurrent === null
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedCurrent },
                }),
          }),
        );
        return champion;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const actual = await getChampion(model);
        // a retried promotion finds its own write: the state it wanted is there
        if (actual?.version === version) return actual;
        throw new StaleChampionError(model, expectedCurrent, actual?.version ?? null);
      }
    },
  };
};
