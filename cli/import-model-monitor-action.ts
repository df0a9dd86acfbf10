import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { EndpointNotFoundError } from '../functions/adapters/errors.ts';
import type { ObjectStore } from '../functions/adapters/object-store.ts';
import { makeS3ObjectStore } from '../functions/adapters/s3/s3-object-store.ts';
import { makeSageMakerEndpointControl } from '../functions/adapters/sagemaker/sagemaker-endpoint-control.ts';
import { validateModelConfig } from '../functions/admin-api/model-rules.ts';
import { InputError } from '../functions/engine/errors.ts';
import {
  baselineKeys,
  baselinePointerKey,
  writeBaselinePointer,
} from '../functions/handler-kit/baseline-pointer.ts';
import { ConfigError } from '../functions/shared/config/config-error.ts';
import { type AwsFlags, awsClientConfig, userFacingAwsError } from './aws-options.ts';
import { type InputLocations, makeInputLocations } from './input-location.ts';
import { type DataBaseline, mapModelMonitor, modelNameFor } from './model-monitor-mapping.ts';
import { type FoundSchedule, type Json, readMonitoringSchedules } from './model-monitor-schedules.ts';

export interface ImportModelMonitorFlags extends AwsFlags {
  endpoint: string;
  out?: string;
  name?: string;
  copyBaselines?: boolean;
  bucket?: string;
  datasetUri?: string;
  problemType?: 'binary' | 'multiclass' | 'regression';
}

export interface ImportModelMonitorDeps {
  readonly sagemaker: SageMakerClient;
  /** reads the baseline files wherever Model Monitor keeps them */
  readonly locations: InputLocations;
  /** the capture store (the stack's CaptureBucket), for --copy-baselines */
  readonly store: (bucket: string) => ObjectStore;
  readonly now: () => Date;
  readonly write: (text: string) => void;
}

const readJson = async (locations: InputLocations, uri: string, schedule: string): Promise<Json> => {
  let text: string;
  try {
    text = await locations.readText(uri);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError({ file: `schedule ${schedule}` }, `baseline ${uri}: ${error.reason}`);
    }
    throw error;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  } catch {
    // reported below, with the same line as a JSON array or number
  }
  throw new InputError({ file: `schedule ${schedule}` }, `baseline ${uri}: is not a JSON object`);
};

const resource = (definition: Json | null, block: string, field: string): string | undefined => {
  const baseline = (definition?.[block] ?? {}) as Json;
  const uri = ((baseline[field] ?? {}) as Json).S3Uri;
  return typeof uri === 'string' && uri !== '' ? uri : undefined;
};

const dataBaselineOf = async (locations: InputLocations, schedule: FoundSchedule): Promise<DataBaseline> => {
  const statisticsUri = resource(schedule.definition, 'DataQualityBaselineConfig', 'StatisticsResource');
  const constraintsUri = resource(schedule.definition, 'DataQualityBaselineConfig', 'ConstraintsResource');
  if (!statisticsUri || !constraintsUri) {
    throw new InputError(
      { file: `schedule ${schedule.name}` },
      'has no baseline (StatisticsResource and ConstraintsResource): run a baselining job first, or use `model-care baseline`',
    );
  }
  return {
    statisticsUri,
    constraintsUri,
    statistics: await readJson(locations, statisticsUri, schedule.name),
    constraints: await readJson(locations, constraintsUri, schedule.name),
  };
};

/** writes `text` to `file` whole or not at all: a temporary file beside it, renamed over it */
const writeAtomically = async (file: string, text: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new InputError(
      { file },
      `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
};

/** copies the data baseline as version 0 of the model's baselines, the pointer last */
const copyBaselines = async (
  store: ObjectStore,
  bucket: string,
  model: string,
  baseline: DataBaseline,
  datasetUri: string,
  now: Date,
): Promise<string> => {
  if (await store.exists(baselinePointerKey(model))) {
    throw new InputError(
      { file: `s3://${bucket}/${baselinePointerKey(model)}` },
      `model ${model} already has a current baseline there: import without --copy-baselines, or remove it first`,
    );
  }
  const keys = baselineKeys(model, 0);
  await store.put(
    keys.statisticsKey,
    `${JSON.stringify(baseline.statistics, null, 2)}\n`,
    'application/json',
  );
  await store.put(
    keys.constraintsKey,
    `${JSON.stringify(baseline.constraints, null, 2)}\n`,
    'application/json',
  );
  const dataset = (baseline.statistics.dataset ?? {}) as Json;
  const rows =
    typeof dataset.item_count === 'number' && dataset.item_count >= 0 ? Math.floor(dataset.item_count) : 0;
  await writeBaselinePointer(store, {
    formatVersion: 1,
    model,
    version: 0,
    statisticsKey: keys.statisticsKey,
    constraintsKey: keys.constraintsKey,
    datasetUri,
    rows,
    createdAt: now.toISOString(),
  });
  return `s3://${bucket}/${keys.prefix}`;
};

export const importModelMonitor = async (
  flags: ImportModelMonitorFlags,
  deps: ImportModelMonitorDeps,
): Promise<Json> => {
  const at = { file: `endpoint ${flags.endpoint}` };
  if (flags.copyBaselines && !flags.bucket) {
    throw new InputError({ file: '--copy-baselines' }, "needs --bucket: the stack's CaptureBucket output");
  }
  let endpoint: Awaited<ReturnType<ReturnType<typeof makeSageMakerEndpointControl>['describeEndpoint']>>;
  try {
    endpoint = await makeSageMakerEndpointControl(deps.sagemaker).describeEndpoint(flags.endpoint);
  } catch (error) {
    if (error instanceof EndpointNotFoundError)
      throw new InputError(at, 'no such endpoint (check the name and the region)');
    throw error;
  }
  const schedules = await readMonitoringSchedules(deps.sagemaker, flags.endpoint);
  if (schedules.length === 0) {
    throw new InputError(
      at,
      'has no monitoring schedules: nothing to import (start from `model-care baseline`)',
    );
  }
  const [dataSchedule, ...moreData] = schedules.filter((s) => s.type === 'DataQuality' && s.definition);
  const [qualitySchedule, ...moreQuality] = schedules.filter(
    (s) => s.type === 'ModelQuality' && s.definition,
  );
  if (!dataSchedule) {
    throw new InputError(
      at,
      `has no data-quality schedule (only ${schedules.map((s) => `${s.name} ${s.type}`).join(', ')}): model-care needs its baseline's features`,
    );
  }
  const dataBaseline = await dataBaselineOf(deps.locations, dataSchedule);
  const qualityUri = qualitySchedule
    ? resource(qualitySchedule.definition, 'ModelQualityBaselineConfig', 'ConstraintsResource')
    : undefined;
  const qualityConstraints =
    qualitySchedule && qualityUri
      ? await readJson(deps.locations, qualityUri, qualitySchedule.name)
      : undefined;
  const modelName = flags.name ?? modelNameFor(flags.endpoint);
  const mapped = mapModelMonitor({
    modelName,
    endpoint: { name: flags.endpoint, variants: endpoint.variants.map((v) => v.variantName) },
    dataSchedule,
    ...(qualitySchedule ? { qualitySchedule } : {}),
    dataBaseline,
    ...(qualityConstraints ? { qualityConstraints } : {}),
    ...(flags.datasetUri ? { datasetUri: flags.datasetUri } : {}),
    ...(flags.problemType ? { problemType: flags.problemType } : {}),
  });
  const notCarried = [
    ...mapped.notCarried,
    ...schedules
      .filter((s) => s.type === 'ModelBias' || s.type === 'ModelExplainability')
      .map(
        (s) =>
          `schedule ${s.name} (${s.type}): not imported; model-care's quality.segmentFeature computes fairness gaps per segment, explainability has no counterpart`,
      ),
    ...[...moreData, ...moreQuality].map(
      (s) => `schedule ${s.name} (${s.type}): not imported, one schedule per type is`,
    ),
  ];
  const out = flags.out ?? join('config', `${modelName}.json`);
  // refused here, before anything is written anywhere
  try {
    validateModelConfig(mapped.config, out);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new InputError(at, `the imported config is not valid: ${error.message}`);
    throw error;
  }
  const carried = [...mapped.carried];
  if (flags.copyBaselines && flags.bucket) {
    const datasetUri = String((mapped.config.baseline as Json).datasetUri);
    const where = await copyBaselines(
      deps.store(flags.bucket),
      flags.bucket,
      modelName,
      dataBaseline,
      datasetUri,
      deps.now(),
    );
    carried.push(
      `baseline statistics.json and constraints.json copied to ${where} (the model's current baseline)`,
    );
  }
  await writeAtomically(out, `${JSON.stringify(mapped.config, null, 2)}\n`);
  const lines = [
    `wrote ${out}: model ${modelName} from ${schedules.length} Model Monitor schedule(s) of endpoint ${flags.endpoint}`,
    'carried over:',
    ...carried.map((line) => `  ${line}`),
    ...(notCarried.length > 0
      ? ['not carried over (what to do instead):', ...notCarried.map((line) => `  ${line}`)]
      : []),
    `next: add it to models[] of your stack config and deploy, or \`model-care models put --file ${out} --stack <stack>\``,
  ];
  deps.write(`${lines.join('\n')}\n`);
  return mapped.config;
};

/** `model-care import-model-monitor`: loaded only when the command runs (import-model-monitor-command.ts defines its flags) */
export const runImportModelMonitor = async (flags: ImportModelMonitorFlags): Promise<void> => {
  const sagemaker = new SageMakerClient(awsClientConfig(flags));
  const s3 = new S3Client({ ...awsClientConfig(flags), forcePathStyle: flags.endpointUrl !== undefined });
  try {
    await importModelMonitor(flags, {
      sagemaker,
      locations: makeInputLocations(flags),
      store: (bucket) => makeS3ObjectStore(bucket, s3),
      now: () => new Date(),
      write: (text) => process.stdout.write(text),
    });
  } catch (error) {
    throw userFacingAwsError(error, `endpoint ${flags.endpoint}`);
  }
};
