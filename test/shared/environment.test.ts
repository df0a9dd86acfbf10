import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ENVIRONMENT,
  EnvironmentError,
  functionEnvironment,
  readEnvironment,
} from '../../functions/shared/environment.ts';

const ROUTE = { model: 'churn', endpointName: 'churn-ep', variantName: 'AllTraffic', samplingPercentage: 50 };

describe('functionEnvironment (lib/ writes)', () => {
  test('renders each value under its key, in the order given', () => {
    // Act
    const environment = functionEnvironment({
      captureBucket: 'bucket-1',
      metricsTtlDays: 400,
      captureRoutes: [ROUTE],
      runsTable: 'runs-table',
    });
    // Assess
    expect(Object.entries(environment)).toEqual([
      ['MODEL_CARE_CAPTURE_BUCKET', 'bucket-1'],
      ['MODEL_CARE_METRICS_TTL_DAYS', '400'],
      ['MODEL_CARE_CAPTURE_ROUTES', JSON.stringify([ROUTE])],
      ['MODEL_CARE_RUNS_TABLE', 'runs-table'],
    ]);
  });

  test('leaves out values that are undefined', () => {
    expect(functionEnvironment({ captureBucket: 'b', fanOutStateMachineArn: undefined })).toEqual({
      MODEL_CARE_CAPTURE_BUCKET: 'b',
    });
  });

  test('model role settings are written as JSON and read back with their defaults', () => {
    // Prepare
    const settings = {
      stackName: 'ModelCare',
      region: 'eu-west-1',
      account: '123456789012',
      permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
      trustedRoleArns: ['arn:aws:iam::123456789012:role/DataJob'],
    };
    // Act
    const { modelRoles } = readEnvironment(['modelRoles'], functionEnvironment({ modelRoles: settings }));
    // Assess
    expect(modelRoles).toEqual({
      ...settings,
      partition: 'aws',
      accessPolicyArns: [],
      trainingPolicyArns: [],
    });
  });

  test('what it writes, readEnvironment reads back', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (bucket, ttl, threshold, share) => {
          const written = functionEnvironment({
            captureBucket: bucket,
            metricsTtlDays: ttl,
            fanOutThresholdBytes: threshold,
            fanOutToleratedPartFailureShare: share,
            captureRoutes: [ROUTE],
          });
          expect(
            readEnvironment(
              [
                'captureBucket',
                'metricsTtlDays',
                'fanOutThresholdBytes',
                'fanOutToleratedPartFailureShare',
                'captureRoutes',
              ],
              written,
            ),
          ).toEqual({
            captureBucket: bucket,
            metricsTtlDays: ttl,
            fanOutThresholdBytes: threshold,
            fanOutToleratedPartFailureShare: share,
            captureRoutes: [ROUTE],
          });
        },
      ),
    );
  });
});

describe('readEnvironment (every handler.ts reads)', () => {
  test('reads only the variables asked for, parsed', () => {
    const env = { MODEL_CARE_STATE_TABLE: 'state', MODEL_CARE_METRICS_TTL_DAYS: '30', OTHER: 'x' };
    expect(readEnvironment(['stateTable', 'metricsTtlDays'], env)).toEqual({
      stateTable: 'state',
      metricsTtlDays: 30,
    });
  });

  test('an optional variable that is unset or empty reads as undefined', () => {
    expect(readEnvironment(['fanOutStateMachineArn', 'fanOutThresholdBytes'], {})).toEqual({
      fanOutStateMachineArn: undefined,
      fanOutThresholdBytes: undefined,
    });
    expect(readEnvironment(['fanOutStateMachineArn'], { MODEL_CARE_FAN_OUT_STATE_MACHINE_ARN: '' })).toEqual({
      fanOutStateMachineArn: undefined,
    });
  });

  test.each([
    [
      'rejects a missing variable',
      ['runsTable'] as const,
      {},
      'environment variable MODEL_CARE_RUNS_TABLE is not set',
    ],
    [
      'rejects an empty variable as missing',
      ['awsRegion'] as const,
      { AWS_REGION: '' },
      'environment variable AWS_REGION is not set',
    ],
    [
      'rejects a TTL that is not a positive integer',
      ['metricsTtlDays'] as const,
      { MODEL_CARE_METRICS_TTL_DAYS: '1.5' },
      'environment variable MODEL_CARE_METRICS_TTL_DAYS is not a positive integer',
    ],
    [
      'rejects a threshold that is not a positive number',
      ['fanOutThresholdBytes'] as const,
      { MODEL_CARE_FAN_OUT_THRESHOLD_BYTES: 'lots' },
      'environment variable MODEL_CARE_FAN_OUT_THRESHOLD_BYTES is not a positive number',
    ],
    [
      'rejects a tolerated part failure share outside [0, 1)',
      ['fanOutToleratedPartFailureShare'] as const,
      { MODEL_CARE_FAN_OUT_TOLERATED_PART_FAILURE_SHARE: '1' },
      'environment variable MODEL_CARE_FAN_OUT_TOLERATED_PART_FAILURE_SHARE is not a share in [0, 1)',
    ],
    [
      'rejects model role settings that are not JSON',
      ['modelRoles'] as const,
      { MODEL_CARE_MODEL_ROLES: '{' },
      'environment variable MODEL_CARE_MODEL_ROLES is not JSON',
    ],
    [
      'rejects malformed model role settings, naming the field',
      ['modelRoles'] as const,
      { MODEL_CARE_MODEL_ROLES: JSON.stringify({ stackName: 'ModelCare', region: 'us-east-1' }) },
      'environment variable MODEL_CARE_MODEL_ROLES.account:',
    ],
    [
      'rejects routes that are not JSON',
      ['captureRoutes'] as const,
      { MODEL_CARE_CAPTURE_ROUTES: '[{' },
      'environment variable MODEL_CARE_CAPTURE_ROUTES is not JSON',
    ],
    [
      'rejects a malformed route, naming the field',
      ['captureRoutes'] as const,
      { MODEL_CARE_CAPTURE_ROUTES: JSON.stringify([{ ...ROUTE, samplingPercentage: 0 }]) },
      'environment variable MODEL_CARE_CAPTURE_ROUTES[0].samplingPercentage:',
    ],
  ])('%s', (_, names, env, message) => {
    const error = (() => {
      try {
        return readEnvironment(names, env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  test('every key is unique', () => {
    const keys = Object.values(ENVIRONMENT).map((variable) => variable.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
