/**
 * Turns a synthesized CloudFormation template's state machine into plain Amazon States Language: the
 * `DefinitionString` is an `Fn::Join` with `Ref`/`Fn::GetAtt` inside, which neither asl-validator nor
 * aws-local-stepfunctions can read. Intrinsics resolve to deterministic stand-ins (logical ids as physical
 * names, ARNs built from them) unless the caller maps them to the names its emulators use — the local runtime
 * passes its own `ref`/`getAtt` so that Task resources point at what it started.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export interface ResolveOptions {
  readonly partition?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly urlSuffix?: string;
  /** overrides `Ref` of a resource; return undefined for the default */
  readonly ref?: (logicalId: string, resource: CfnResource) => string | undefined;
  /** overrides `Fn::GetAtt`; return undefined for the default */
  readonly getAtt?: (logicalId: string, attribute: string, resource: CfnResource) => string | undefined;
}

export interface ResolvedStateMachine {
  readonly logicalId: string;
  /** the ASL document */
  readonly definition: AslDefinition;
}

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Parameters?: Record<string, unknown>;
  readonly ResultSelector?: Record<string, unknown>;
  readonly ResultPath?: string | null;
  readonly Catch?: ReadonlyArray<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  readonly Retry?: ReadonlyArray<{ ErrorEquals: string[] }>;
  readonly Choices?: ReadonlyArray<Record<string, unknown> & { Next: string }>;
  readonly Default?: string;
  readonly Branches?: ReadonlyArray<AslDefinition>;
  readonly [key: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly TimeoutSeconds?: number;
  readonly Comment?: string;
}

interface Context {
  readonly template: CfnTemplate;
  readonly options: Required<Pick<ResolveOptions, 'partition' | 'region' | 'accountId' | 'urlSuffix'>> &
    ResolveOptions;
}

const PSEUDO: Record<string, (c: Context['options']) => string> = {
  'AWS::Partition': (o) => o.partition,
  'AWS::Region': (o) => o.region,
  'AWS::AccountId': (o) => o.accountId,
  'AWS::URLSuffix': (o) => o.urlSuffix,
  'AWS::StackName': () => 'ModelCare',
  'AWS::NoValue': () => '',
};

const arn = (o: Context['options'], service: string, resource: string, global = false): string =>
  `arn:${o.partition}:${service}:${global ? '' : o.region}:${global ? '' : o.accountId}:${resource}`;

/** what CloudFormation's `Ref` returns, per resource type, with the logical id as the physical name */
const defaultRef = (id: string, resource: CfnResource, o: Context['options']): string => {
  switch (resource.Type) {
    case 'AWS::SNS::Topic':
      return arn(o, 'sns', id);
    case 'AWS::StepFunctions::StateMachine':
      return arn(o, 'states', `stateMachine:${id}`);
    case 'AWS::SQS::Queue':
      return `https://sqs.${o.region}.${o.urlSuffix}/${o.accountId}/${id}`;
    case 'AWS::S3::Bucket':
      return id.toLowerCase();
    case 'AWS::IAM::ManagedPolicy': {
      const path = typeof resource.Properties?.Path === 'string' ? resource.Properties.Path : '/';
      return `arn:${o.partition}:iam::${o.accountId}:policy${path}${id}`;
    }
    default:
      return id;
  }
};

const defaultGetAtt = (
  id: string,
  attribute: string,
  resource: CfnResource,
  o: Context['options'],
): string => {
  const name = defaultRef(id, resource, o);
  if (attribute !== 'Arn') {
    if (attribute === 'TopicName' || attribute === 'QueueName' || attribute === 'Name') return id;
    return `${id}.${attribute}`;
  }
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return arn(o, 'lambda', `function:${name}`);
    case 'AWS::DynamoDB::Table':
      return arn(o, 'dynamodb', `table/${name}`);
    case 'AWS::SQS::Queue':
      return arn(o, 'sqs', id);
    case 'AWS::S3::Bucket':
      return `arn:${o.partition}:s3:::${name}`;
    case 'AWS::IAM::Role':
      return `arn:${o.partition}:iam::${o.accountId}:role/${name}`;
    case 'AWS::KMS::Key':
      return arn(o, 'kms', `key/${name}`);
    case 'AWS::Logs::LogGroup':
      return arn(o, 'logs', `log-group:${name}:*`);
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return name;
    default:
      return arn(o, resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown', name);
  }
};

const resolve = (value: unknown, c: Context): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolve(item, c));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = node[key];
    if (key === 'Ref') return resolveRef(String(arg), c);
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : (arg as string[])) as [
        string,
        string,
      ];
      return resolveGetAtt(id, attribute, c);
    }
    if (key === 'Fn::Join') {
      const [delimiter, parts] = arg as [string, unknown[]];
      return (resolve(parts, c) as unknown[]).map(String).join(delimiter);
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number | string, unknown];
      return (resolve(list, c) as unknown[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [delimiter, source] = arg as [string, unknown];
      return String(resolve(source, c)).split(delimiter);
    }
    if (key === 'Fn::Sub' && typeof arg === 'string') {
      return arg.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) =>
        name.includes('.') ? resolveGetAtt(...(name.split('.') as [string, string]), c) : resolveRef(name, c),
      );
    }
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, c)]));
};

const resourceOf = (id: string, c: Context): CfnResource => {
  const resource = c.template.Resources[id];
  if (!resource) throw new Error(`the template has no resource "${id}"`);
  return resource;
};

const resolveRef = (id: string, c: Context): string => {
  const pseudo = PSEUDO[id];
  if (pseudo) return pseudo(c.options);
  const resource = resourceOf(id, c);
  return c.options.ref?.(id, resource) ?? defaultRef(id, resource, c.options);
};

const resolveGetAtt = (id: string, attribute: string, c: Context): string => {
  const resource = resourceOf(id, c);
  return c.options.getAtt?.(id, attribute, resource) ?? defaultGetAtt(id, attribute, resource, c.options);
};

const contextFor = (template: CfnTemplate, options: ResolveOptions): Context => ({
  template,
  options: {
    partition: 'aws',
    region: 'us-east-1',
    accountId: '123456789012',
    urlSuffix: 'amazonaws.com',
    ...options,
  },
});

/** resolves CloudFormation intrinsics anywhere in a template value */
export const resolveIntrinsics = (
  value: unknown,
  template: CfnTemplate,
  options: ResolveOptions = {},
): unknown => resolve(value, contextFor(template, options));

/** every state machine in the template, as plain ASL */
export const resolveStateMachines = (
  template: CfnTemplate,
  options: ResolveOptions = {},
): ResolvedStateMachine[] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]) => {
      const raw = resource.Properties?.DefinitionString;
      const text = resolveIntrinsics(raw, template, options);
      if (typeof text !== 'string')
        throw new Error(`${logicalId}: DefinitionString did not resolve to a string`);
      return { logicalId, definition: JSON.parse(text) as AslDefinition };
    });

/** the one state machine whose logical id starts with the prefix (CDK appends a hash) */
export const resolveStateMachine = (
  template: CfnTemplate,
  logicalIdPrefix: string,
  options: ResolveOptions = {},
): ResolvedStateMachine => {
  const matches = resolveStateMachines(template, options).filter((sm) =>
    sm.logicalId.startsWith(logicalIdPrefix),
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected one state machine with logical id "${logicalIdPrefix}...", found ${matches.length}`,
    );
  }
  return matches[0]!;
};

/** all states of a definition, including those inside Parallel branches, by name */
export const allStates = (definition: AslDefinition): Record<string, AslState> => {
  const states: Record<string, AslState> = {};
  const visit = (d: AslDefinition): void => {
    for (const [name, state] of Object.entries(d.States)) {
      states[name] = state;
      for (const branch of state.Branches ?? []) visit(branch);
    }
  };
  visit(definition);
  return states;
};
