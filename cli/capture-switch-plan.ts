import type { DescribedEndpointConfig } from '../functions/adapters/live-endpoint.ts';
import { InputError } from '../functions/engine/errors.ts';
import { copyEndpointConfig } from '../functions/retraining/plan-promotion/endpoint-config-copy.ts';
import { InvalidS3UriError, parseS3Uri, type S3Location } from '../functions/shared/s3-uri.ts';

/**
 * `enable-capture`'s plan, decided before anything is sent: the new endpoint config (the live one copied with
 * every field, by the same copy promotion uses, and only `DataCaptureConfig` set), the changes it makes as
 * `path: before -> after` lines, and the IAM statements the endpoint's execution role needs to write there.
 * Pure: the action reads the endpoint and sends the requests.
 */

export interface CaptureTarget {
  /** `s3://bucket/prefix`: SageMaker writes `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/` below it */
  readonly s3Uri: string;
  /** 0-100, SageMaker's InitialSamplingPercentage */
  readonly samplingPercentage: number;
  /** SSE-KMS key for the captured objects */
  readonly kmsKeyArn?: string;
}

export interface CaptureSwitchPlan {
  readonly endpoint: string;
  readonly liveConfigName: string;
  /** the CreateEndpointConfig request; undefined when capture is already on exactly as asked */
  readonly createRequest?: Record<string, unknown>;
  /** `path: before -> after`, one per changed field */
  readonly changes: readonly string[];
  /** the policy statements the execution role(s) need for the bucket and key */
  readonly statements: readonly Record<string, unknown>[];
}

/** capture is on elsewhere, and --force was not given */
export class CaptureElsewhereError extends InputError {}

// KMS key ARNs as AWS spells them (any partition), or a multi-Region key (mrk-...)
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[A-Za-z0-9-]{1,128}$/;

/** the flag's value as a location; rejects with one line naming the flag */
export const parseCaptureUri = (uri: string): S3Location => {
  try {
    const location = parseS3Uri(uri, '--s3-uri');
    return { bucket: location.bucket, key: location.key.replace(/\/+$/, '') };
  } catch (error) {
    if (error instanceof InvalidS3UriError) {
      throw new InputError({ file: '--s3-uri' }, `${JSON.stringify(uri)} is not an s3://bucket/prefix URI`);
    }
    throw error;
  }
};

export const assertKmsKeyArn = (arn: string): string => {
  if (!KMS_KEY_ARN.test(arn)) {
    throw new InputError(
      { file: '--kms-key' },
      `${JSON.stringify(arn)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`,
    );
  }
  return arn;
};

type Json = Record<string, unknown>;

const normalizedUri = (uri: unknown): string => (typeof uri === 'string' ? uri.replace(/\/+$/, '') : '');

/** the capture block the new config gets: the asked destination, keeping the live block's options and headers */
const captureBlock = (target: CaptureTarget, live: Json | undefined): Json => ({
  EnableCapture: true,
  InitialSamplingPercentage: target.samplingPercentage,
  DestinationS3Uri: normalizedUri(target.s3Uri),
  ...(target.kmsKeyArn ? { KmsKeyId: target.kmsKeyArn } : {}),
  // model-care's data job reads both halves of a record; what the live block says about headers is kept
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  CaptureContentTypeHeader: live?.CaptureContentTypeHeader ?? {
    CsvContentTypes: ['text/csv'],
    JsonContentTypes: ['application/json'],
  },
});

const isOn = (capture: Json | undefined): capture is Json =>
  capture !== undefined && capture.EnableCapture !== false && normalizedUri(capture.DestinationS3Uri) !== '';

/** leaves of a JSON value as `path -> canonical value`, so two configs compare field by field */
const leaves = (value: unknown, path: string, out: Map<string, string>): Map<string, string> => {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Json);
    // an empty object or list holds no setting (moto and SageMaker answer `DataCaptureConfig: {}` for none)
    for (const [key, v] of entries) {
      leaves(v, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, out);
    }
  } else if (value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
  return out;
};

/** `path: before -> after` for every leaf that differs, in path order */
export const diffRequests = (before: Json, after: Json): string[] => {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => `${path}: ${a.get(path) ?? '(none)'} -> ${b.get(path) ?? '(none)'}`);
};

/** what the execution role needs so SageMaker can write capture under the prefix (and encrypt with the key) */
export const captureRoleStatements = (location: S3Location, kmsKeyArn?: string): Json[] => {
  const prefix = location.key ? `${location.key}/` : '';
  return [
    {
      Sid: 'ModelCareCaptureWrite',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: `arn:aws:s3:::${location.bucket}/${prefix}*`,
    },
    ...(kmsKeyArn
      ? [
          {
            Sid: 'ModelCareCaptureEncrypt',
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: kmsKeyArn,
          },
        ]
      : []),
  ];
};

export interface PlanOptions {
  readonly endpoint: string;
  readonly liveConfigName: string;
  /** the new config's name */
  readonly newConfigName: string;
  readonly target: CaptureTarget;
  readonly force: boolean;
}

export const planCaptureSwitch = (
  described: DescribedEndpointConfig,
  options: PlanOptions,
): CaptureSwitchPlan => {
  const location = parseCaptureUri(options.target.s3Uri);
  if (options.target.kmsKeyArn !== undefined) assertKmsKeyArn(options.target.kmsKeyArn);
  const statements = captureRoleStatements(location, options.target.kmsKeyArn);
  const base = { endpoint: options.endpoint, liveConfigName: options.liveConfigName, statements };
  const tags = [{ Key: 'model-care:copied-from', Value: options.liveConfigName }];
  const copy = copyEndpointConfig(described, { name: options.newConfigName, tags });
  const live = copy.DataCaptureConfig as Json | undefined;
  const wanted = captureBlock(options.target, live);
  if (isOn(live)) {
    const same =
      normalizedUri(live.DestinationS3Uri) === wanted.DestinationS3Uri &&
      live.InitialSamplingPercentage === wanted.InitialSamplingPercentage &&
      (live.KmsKeyId ?? undefined) === (wanted.KmsKeyId ?? undefined);
    if (same) return { ...base, changes: [] };
    if (!options.force) {
      throw new CaptureElsewhereError(
        { file: `endpoint ${options.endpoint}` },
        `already captures to ${String(live.DestinationS3Uri)} (config ${options.liveConfigName}, ` +
          `${String(live.InitialSamplingPercentage)}%): pass --force to switch it to ${wanted.DestinationS3Uri}`,
      );
    }
  }
  const createRequest: Json = { ...copy, DataCaptureConfig: wanted };
  const { EndpointConfigName: _new, Tags: _newTags, ...after } = createRequest;
  const { EndpointConfigName: _old, Tags: _oldTags, ...before } = copy;
  return { ...base, createRequest, changes: diffRequests(before, after) };
};
