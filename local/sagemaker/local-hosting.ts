import {
  type AlarmState,
  type CreateEndpointConfigRequest,
  type DeploymentConfigRequest,
  type EndpointConfigDescription,
  type EndpointDescription,
  type ProductionVariantRequest,
  type ResourceTag,
  type SageMakerEvent,
  SageMakerValidationError,
  type UpdateEndpointRequest,
  type VariantSummary,
} from './sagemaker-api.ts';

/**
 * The hosting half of the local SageMaker: endpoint configs (every field kept as given, production and shadow
 * variants, tags), endpoints and their statuses as SageMaker moves them, and the update an endpoint goes
 * through: `Updating` while the new fleet loads, one baking period per traffic step of a blue/green
 * DeploymentConfig (canary: two, linear: one per step, all at once: one), during which any of its
 * AutoRollbackConfiguration alarms in ALARM sends it `RollingBack` and then back `InService` on the old config
 * with a FailureReason, as SageMaker's deployment guardrails do. Requests keep being served by the old config
 * until the switch. `SystemUpdating` (SageMaker's own maintenance) can be started by a test.
 */

export interface HostingOptions {
  /** ms an endpoint stays Creating, or Updating before its first traffic step; @default 0 */
  readonly endpointDelayMs?: number;
  /** ms each traffic step of a blue/green deployment bakes; @default 0 */
  readonly bakeDelayMs?: number;
  /** ms a rolled-back deployment stays RollingBack; @default endpointDelayMs */
  readonly rollbackDelayMs?: number;
}

export interface HostingRuntime {
  readonly modelExists: (name: string) => boolean;
  /** loads a model's artefact; throws when it cannot be loaded (the update fails) */
  readonly loadModel: (name: string) => Promise<void>;
  readonly now: () => string;
  readonly arn: (resource: string, name: string) => string;
  readonly emit: (kind: SageMakerEvent['kind'], name: string, detail?: string) => void;
  readonly background: (delayMs: number | undefined, work: () => Promise<void>) => void;
}

const notFound = (what: string, name: string) =>
  new SageMakerValidationError(`Could not find ${what} "${name}".`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** the traffic steps a DeploymentConfig bakes: canary 2, linear one per step, all at once 1 (none without one) */
export const bakingSteps = (deployment: DeploymentConfigRequest | undefined): number => {
  const routing = deployment?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration;
  if (!routing) return 0;
  if (routing.Type === 'CANARY') return 2;
  if (routing.Type === 'LINEAR') return Math.ceil(100 / (routing.LinearStepSize?.Value ?? 100));
  return 1;
};

export class LocalHosting {
  private readonly configs = new Map<string, EndpointConfigDescription>();
  private readonly endpoints = new Map<string, EndpointDescription>();
  private readonly tags = new Map<string, ResourceTag[]>();
  private readonly alarms = new Map<string, AlarmState>();

  constructor(
    private readonly runtime: HostingRuntime,
    private readonly options: HostingOptions = {},
  ) {}

  createEndpointConfig(request: CreateEndpointConfigRequest): { EndpointConfigArn: string } {
    const name = request.EndpointConfigName;
    if (this.configs.has(name)) {
      throw new SageMakerValidationError(`Cannot create already existing endpoint configuration "${name}".`);
    }
    for (const variant of [...request.ProductionVariants, ...(request.ShadowProductionVariants ?? [])]) {
      if (!this.runtime.modelExists(variant.ModelName)) throw notFound('model', variant.ModelName);
    }
    const { Tags, ...fields } = request;
    const config = {
      ...structuredClone(fields),
      EndpointConfigArn: this.runtime.arn('endpoint-config', name),
      CreationTime: this.runtime.now(),
    } as EndpointConfigDescription;
    this.configs.set(name, config);
    this.tags.set(config.EndpointConfigArn, [...(Tags ?? [])]);
    this.runtime.emit('endpoint-config-created', name);
    return { EndpointConfigArn: config.EndpointConfigArn };
  }

  describeEndpointConfig(name: string): EndpointConfigDescription {
    const config = this.configs.get(name);
    if (!config) throw notFound('endpoint configuration', name);
    return structuredClone(config);
  }

  /** ListTags of a config this hosting created */
  listTags(arn: string): { Tags: ResourceTag[] } {
    return { Tags: [...(this.tags.get(arn) ?? [])] };
  }

  createEndpoint(request: { EndpointName: string; EndpointConfigName: string }): { EndpointArn: string } {
    const name = request.EndpointName;
    if (this.endpoints.has(name)) {
      throw new SageMakerValidationError(`Cannot create already existing endpoint "${name}".`);
    }
    const config = this.describeEndpointConfig(request.EndpointConfigName);
    const at = this.runtime.now();
    this.endpoints.set(name, {
      ...this.serving(config, undefined, false),
      EndpointName: name,
      EndpointArn: this.runtime.arn('endpoint', name.toLowerCase()),
      EndpointStatus: 'Creating',
      CreationTime: at,
      LastModifiedTime: at,
    });
    this.runtime.background(this.options.endpointDelayMs, async () => {
      try {
        await this.loadModels(config);
        this.set(name, { EndpointStatus: 'InService' });
        this.runtime.emit('endpoint-in-service', name, config.EndpointConfigName);
      } catch (error) {
        const reason = (error as Error).message;
        this.set(name, { EndpointStatus: 'Failed', FailureReason: reason });
        this.runtime.emit('endpoint-failed', name, reason);
      }
    });
    return { EndpointArn: this.endpoint(name).EndpointArn };
  }

  /**
   * Starts switching the endpoint; the old config keeps serving until the new fleet is loaded and every traffic
   * step has baked without a rollback alarm. A config whose models cannot load leaves the endpoint InService on
   * the old config with a FailureReason, as SageMaker's automatic rollback does.
   */
  updateEndpoint(request: UpdateEndpointRequest): { EndpointArn: string } {
    const name = request.EndpointName;
    const before = this.endpoint(name);
    if (before.EndpointStatus !== 'InService') {
      throw new SageMakerValidationError(`Cannot update in-progress endpoint "${before.EndpointArn}".`);
    }
    const config = this.describeEndpointConfig(request.EndpointConfigName);
    const deployment = request.DeploymentConfig;
    this.set(name, {
      EndpointStatus: 'Updating',
      ...(deployment ? { LastDeploymentConfig: structuredClone(deployment) } : {}),
    });
    this.runtime.emit('endpoint-update-started', name, config.EndpointConfigName);
    this.runtime.background(this.options.endpointDelayMs, async () => {
      try {
        await this.loadModels(config);
      } catch (error) {
        const reason = `Failed to update endpoint to ${config.EndpointConfigName}: ${(error as Error).message}`;
        this.set(name, { EndpointStatus: 'InService', FailureReason: reason });
        this.runtime.emit('endpoint-update-reverted', name, reason);
        return;
      }
      const watched = (deployment?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName);
      for (let step = 0; step < bakingSteps(deployment); step++) {
        await sleep(this.options.bakeDelayMs ?? 0);
        const firing = watched.find((alarm) => this.alarms.get(alarm) === 'ALARM');
        if (firing) {
          this.set(name, { EndpointStatus: 'RollingBack' });
          await sleep(this.options.rollbackDelayMs ?? this.options.endpointDelayMs ?? 0);
          const reason = `Deployment rolled back: alarm ${firing} is in ALARM`;
          this.set(name, { EndpointStatus: 'InService', FailureReason: reason });
          this.runtime.emit('endpoint-rolled-back', name, reason);
          return;
        }
      }
      this.set(name, {
        ...this.serving(config, this.endpoint(name), request.RetainAllVariantProperties === true),
        EndpointStatus: 'InService',
        FailureReason: undefined,
      });
      this.runtime.emit('endpoint-in-service', name, config.EndpointConfigName);
    });
    return { EndpointArn: before.EndpointArn };
  }

  describeEndpoint(name: string): EndpointDescription {
    return structuredClone(this.endpoint(name));
  }

  /** UpdateEndpointWeightsAndCapacities: weights change in place, on an InService endpoint, for named variants only */
  updateEndpointWeightsAndCapacities(request: {
    EndpointName: string;
    DesiredWeightsAndCapacities: readonly { VariantName: string; DesiredWeight?: number }[];
  }): { EndpointArn: string } {
    const endpoint = this.endpoint(request.EndpointName);
    if (endpoint.EndpointStatus !== 'InService') {
      throw new SageMakerValidationError(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
    }
    for (const wanted of request.DesiredWeightsAndCapacities) {
      if (!endpoint.ProductionVariants.some((v) => v.VariantName === wanted.VariantName)) {
        throw new SageMakerValidationError(
          `The variant name(s) "${wanted.VariantName}" is/are not present within endpoint configuration "${endpoint.EndpointConfigName}".`,
        );
      }
    }
    this.set(request.EndpointName, {
      ProductionVariants: endpoint.ProductionVariants.map((v) => {
        const wanted = request.DesiredWeightsAndCapacities.find((w) => w.VariantName === v.VariantName);
        return wanted?.DesiredWeight === undefined ? v : { ...v, CurrentWeight: wanted.DesiredWeight };
      }),
    });
    this.runtime.emit('endpoint-weights-updated', request.EndpointName);
    return { EndpointArn: endpoint.EndpointArn };
  }

  /**
   * SageMaker's own maintenance: the endpoint is SystemUpdating for `ms`, then InService again; without `ms`, until
   * endSystemUpdate
   */
  beginSystemUpdate(name: string, ms?: number): void {
    const endpoint = this.endpoint(name);
    if (endpoint.EndpointStatus !== 'InService') {
      throw new Error(`endpoint ${name} is ${endpoint.EndpointStatus}, not InService`);
    }
    this.set(name, { EndpointStatus: 'SystemUpdating' });
    this.runtime.emit('endpoint-system-update', name);
    if (ms !== undefined) this.runtime.background(ms, async () => this.endSystemUpdate(name));
  }

  /** ends SageMaker's maintenance now (no-op when the endpoint is not SystemUpdating) */
  endSystemUpdate(name: string): void {
    if (this.endpoint(name).EndpointStatus === 'SystemUpdating')
      this.set(name, { EndpointStatus: 'InService' });
  }

  /** a CloudWatch alarm's state, as the deployment guardrails read it */
  setAlarmState(alarm: string, state: AlarmState): void {
    this.alarms.set(alarm, state);
  }

  /** the variant a request goes to: the one asked for, else the first production variant */
  servingVariant(endpointName: string, variant?: string): ProductionVariantRequest {
    const endpoint = this.endpoint(endpointName);
    const config = this.describeEndpointConfig(endpoint.EndpointConfigName);
    const chosen =
      config.ProductionVariants.find((v) => v.VariantName === variant) ?? config.ProductionVariants[0];
    if (!chosen) throw new SageMakerValidationError(`Endpoint ${endpointName} has no variant.`);
    return chosen;
  }

  private endpoint(name: string): EndpointDescription {
    const endpoint = this.endpoints.get(name);
    if (!endpoint) throw notFound('endpoint', name);
    return endpoint;
  }

  private set(name: string, change: Partial<EndpointDescription>): void {
    this.endpoints.set(name, {
      ...this.endpoint(name),
      ...change,
      LastModifiedTime: this.runtime.now(),
    } as EndpointDescription);
  }

  private async loadModels(config: EndpointConfigDescription): Promise<void> {
    for (const variant of [...config.ProductionVariants, ...(config.ShadowProductionVariants ?? [])]) {
      await this.runtime.loadModel(variant.ModelName);
    }
  }

  /** what an endpoint serving `config` describes; `retain` keeps the current counts and weights of same-named variants */
  private serving(
    config: EndpointConfigDescription,
    current: EndpointDescription | undefined,
    retain: boolean,
  ): Pick<
    EndpointDescription,
    'EndpointConfigName' | 'ProductionVariants' | 'ShadowProductionVariants' | 'DataCaptureConfig'
  > {
    const summarize = (variants: readonly ProductionVariantRequest[], now: readonly VariantSummary[]) =>
      variants.map((v): VariantSummary => {
        const kept = retain ? now.find((n) => n.VariantName === v.VariantName) : undefined;
        const count = kept?.CurrentInstanceCount ?? (v.ServerlessConfig ? 0 : (v.InitialInstanceCount ?? 1));
        return {
          VariantName: v.VariantName,
          CurrentWeight: kept?.CurrentWeight ?? v.InitialVariantWeight ?? 1,
          CurrentInstanceCount: count,
          DesiredInstanceCount: count,
          ...(v.ServerlessConfig ? { CurrentServerlessConfig: v.ServerlessConfig } : {}),
        };
      });
    const capture = config.DataCaptureConfig;
    const shadow = config.ShadowProductionVariants;
    return {
      EndpointConfigName: config.EndpointConfigName,
      ProductionVariants: summarize(config.ProductionVariants, current?.ProductionVariants ?? []),
      ShadowProductionVariants: shadow
        ? summarize(shadow, current?.ShadowProductionVariants ?? [])
        : undefined,
      DataCaptureConfig: capture
        ? {
            EnableCapture: capture.EnableCapture ?? true,
            CaptureStatus: capture.EnableCapture === false ? 'Stopped' : 'Started',
            CurrentSamplingPercentage: capture.InitialSamplingPercentage,
            DestinationS3Uri: capture.DestinationS3Uri,
          }
        : undefined,
    };
  }
}
