import {
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { EndpointControl } from '../functions/adapters/endpoint-control.ts';
import { EndpointBusyError, EndpointNotFoundError } from '../functions/adapters/errors.ts';
import type { LiveEndpointReader } from '../functions/adapters/live-endpoint.ts';
import { makeSageMakerEndpointControl } from '../functions/adapters/sagemaker/sagemaker-endpoint-control.ts';
import { makeSageMakerLiveEndpoint } from '../functions/adapters/sagemaker/sagemaker-live-endpoint.ts';
import { InputError } from '../functions/engine/errors.ts';
import { variantNames } from '../functions/retraining/plan-promotion/endpoint-config-copy.ts';
import { type AwsFlags, awsClientConfig, userFacingAwsError } from './aws-options.ts';
import { type CaptureSwitchPlan, planCaptureSwitch } from './capture-switch-plan.ts';

export interface EnableCaptureFlags extends AwsFlags {
  endpoint: string;
  s3Uri: string;
  sampling: number;
  kmsKey?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

/** what enable-capture needs of SageMaker: read the endpoint, create a config, switch the endpoint */
export interface EnableCaptureDeps {
  readonly endpoints: LiveEndpointReader;
  readonly createEndpointConfig: (request: Record<string, unknown>) => Promise<void>;
  readonly updateEndpoint: EndpointControl['updateEndpoint'];
  readonly now: () => Date;
  readonly write: (text: string) => void;
}

/** SageMaker names: at most 63 characters of `a-zA-Z0-9-` */
const MAX_NAME = 63;

/** `<endpoint>-capture-<yyyymmddhhmmss>`, the endpoint part shortened to fit SageMaker's 63 characters */
export const captureConfigName = (endpoint: string, now: Date): string => {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const suffix = `-capture-${stamp}`;
  return `${endpoint.slice(0, MAX_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
};

const variantModels = (description: Readonly<Record<string, unknown>>): string[] =>
  (['ProductionVariants', 'ShadowProductionVariants'] as const).flatMap((list) => {
    const variants = description[list];
    return Array.isArray(variants)
      ? variants.map((v) => String((v as Record<string, unknown>).ModelName ?? '')).filter(Boolean)
      : [];
  });

/** the roles SageMaker writes capture with: the config's own, else each variant model's */
const executionRoles = async (
  endpoints: LiveEndpointReader,
  description: Readonly<Record<string, unknown>>,
): Promise<string[]> => {
  if (typeof description.ExecutionRoleArn === 'string') return [description.ExecutionRoleArn];
  const roles = new Set<string>();
  for (const model of new Set(variantModels(description))) {
    const role = (await endpoints.describeModel(model)).executionRoleArn;
    if (role) roles.add(role);
  }
  return [...roles];
};

const render = (
  plan: CaptureSwitchPlan,
  roles: readonly string[],
  kept: readonly string[],
  flags: EnableCaptureFlags,
  newConfig?: string,
) => {
  const lines = [`endpoint ${plan.endpoint} (live config ${plan.liveConfigName})`];
  if (!plan.createRequest) {
    lines.push(`capture is already on to ${flags.s3Uri} at ${flags.sampling}%: nothing to change`);
  } else {
    lines.push(`new endpoint config ${newConfig}, a copy of ${plan.liveConfigName} with:`);
    for (const change of plan.changes) lines.push(`  ${change}`);
    lines.push(`kept as they are: every other field, and variants ${kept.join(', ') || '(none)'}`);
  }
  lines.push(
    `the execution role${roles.length === 1 ? '' : 's'} ${roles.join(', ') || '(none found: the role your models run as)'} ` +
      'must allow (add to its policy):',
  );
  lines.push(JSON.stringify({ Version: '2012-10-17', Statement: plan.statements }, null, 2));
  return lines.join('\n');
};

export const enableCapture = async (flags: EnableCaptureFlags, deps: EnableCaptureDeps): Promise<void> => {
  const { endpoints } = deps;
  const at = { file: `endpoint ${flags.endpoint}` };
  let live: Awaited<ReturnType<LiveEndpointReader['describeEndpoint']>>;
  try {
    live = await endpoints.describeEndpoint(flags.endpoint);
  } catch (error) {
    if (error instanceof EndpointNotFoundError)
      throw new InputError(at, 'no such endpoint (check the name and the region)');
    throw userFacingAwsError(error, at.file);
  }
  const described = await endpoints.describeEndpointConfig(live.configName);
  const newConfig = captureConfigName(flags.endpoint, deps.now());
  const plan = planCaptureSwitch(described, {
    endpoint: flags.endpoint,
    liveConfigName: live.configName,
    newConfigName: newConfig,
    target: { s3Uri: flags.s3Uri, samplingPercentage: flags.sampling, kmsKeyArn: flags.kmsKey },
    force: flags.force ?? false,
  });
  const roles = await executionRoles(endpoints, described.description);
  const kept = variantNames(described);
  if (flags.json) {
    deps.write(
      `${JSON.stringify({ ...plan, newConfigName: plan.createRequest ? newConfig : null, executionRoles: roles, dryRun: Boolean(flags.dryRun) }, null, 2)}\n`,
    );
  } else {
    deps.write(`${render(plan, roles, kept, flags, newConfig)}\n`);
  }
  if (!plan.createRequest || flags.dryRun) {
    if (flags.dryRun && !flags.json) deps.write('dry run: nothing was changed\n');
    return;
  }
  // an update on a busy endpoint fails after the config exists; refusing first leaves nothing behind
  if (live.status !== 'InService') {
    throw new InputError(at, `is ${live.status}: wait until it is InService, then run this again`);
  }
  await deps.createEndpointConfig(plan.createRequest);
  try {
    await deps.updateEndpoint(flags.endpoint, newConfig, { retainVariantProperties: true });
  } catch (error) {
    if (error instanceof EndpointBusyError) {
      throw new InputError(
        at,
        `started updating meanwhile: run this again when it is InService (config ${newConfig} is ready)`,
      );
    }
    throw error;
  }
  if (!flags.json) {
    deps.write(
      `UpdateEndpoint sent: ${flags.endpoint} switches to ${newConfig} with no downtime ` +
        `(aws sagemaker describe-endpoint --endpoint-name ${flags.endpoint} shows when it is InService)\n`,
    );
  }
};

/** `model-care enable-capture`: loaded only when the command runs (enable-capture-command.ts defines its flags) */
export const runEnableCapture = async (flags: EnableCaptureFlags): Promise<void> => {
  const sagemaker = new SageMakerClient(awsClientConfig(flags));
  const control = makeSageMakerEndpointControl(sagemaker);
  const target = `endpoint ${flags.endpoint}`;
  const aws =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw userFacingAwsError(error, target);
      }
    };
  const endpoints = makeSageMakerLiveEndpoint(sagemaker);
  await enableCapture(flags, {
    endpoints: {
      describeEndpoint: endpoints.describeEndpoint,
      describeEndpointConfig: aws(endpoints.describeEndpointConfig),
      describeModel: aws(endpoints.describeModel),
    },
    createEndpointConfig: aws(async (request) => {
      await sagemaker.send(
        new CreateEndpointConfigCommand(request as unknown as CreateEndpointConfigCommandInput),
      );
    }),
    updateEndpoint: control.updateEndpoint,
    now: () => new Date(),
    write: (text) => process.stdout.write(text),
  });
};
