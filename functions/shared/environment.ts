import * as z from 'zod';
import { type CaptureRoute, captureRouteSchema } from './config/capture-routes.ts';
import type { Severity } from './config/vocabulary.ts';
import {
  type ModelRoleSettings,
  type ModelRoleSettingsInput,
  modelRoleSettingsSchema,
} from './model-role-settings.ts';
import { type StackIdentity, stackIdentitySchema } from './model-roles.ts';

import { type PagingRoute, pagingRouteSchema } from './paging-routes.ts';
import type { TableName } from './tables.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './telemetry.ts';

/**
 * The environment contract: every variable a model-care function finds in its environment, who sets it and
 * how it is read. lib/ writes a function's environment with `functionEnvironment`, every handler.ts reads its
 * part with `readEnvironment` once at cold start; both go through the entries below, so the CDK side and the
 * runtime cannot disagree. docs/deploy.md's table of variables is generated from them (`npm run schema`).
 */

interface Variable<Out, In> {
  readonly key: string;
  /** which functions have it (for the docs) */
  readonly setOn: string;
  readonly description: string;
  /** parses the raw value; unset and empty both arrive as undefined */
  readonly schema: z.ZodType<Out, string | undefined>;
  /** renders the value lib/ sets; absent for variables Lambda itself sets */
  readonly write?: (value: In) => string;
}

const variable = <Out, In = string>(spec: Variable<Out, In>): Variable<Out, In> => spec;

const text = z.string({ error: 'is not set' });
const positiveInteger = text.regex(/^[1-9]\d*$/, 'is not a positive integer').transform(Number);
const positiveNumber = z
  .string()
  .transform(Number)
  .refine((n) => Number.isFinite(n) && n > 0, 'is not a positive number');
const shareBelowOne = z
  .string()
  .transform(Number)
  .refine((n) => Number.isFinite(n) && n >= 0 && n < 1, 'is not a share in [0, 1)');
const json = text.transform((value, ctx) => {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
});
const same = (value: string): string => value;

const tableVariable = (table: TableName, key: string) =>
  variable({
    key,
    setOn: `functions bound to the ${table} table (ResultsTables.bind)`,
    description: `name of the ${table} table (functions/shared/tables.ts)`,
    schema: text,
    write: same,
  });

const topicVariable = (severity: Severity, key: string) =>
  variable({
    key,
    setOn: 'the alert router (Alerting.bindPublisher)',
    description: `ARN of the ${severity} alerts topic`,
    schema: text,
    write: same,
  });

export const ENVIRONMENT = {
  serviceName: variable({
    key: 'POWERTOOLS_SERVICE_NAME',
    setOn: 'every function',
    description: `Powertools: the service of every log line (\`${SERVICE_NAME}\`)`,
    schema: text,
    write: same,
  }),
  metricsNamespace: variable({
    key: 'POWERTOOLS_METRICS_NAMESPACE',
    setOn: 'every function',
    description: `Powertools: the CloudWatch namespace of every metric (\`${METRICS_NAMESPACE}\`)`,
    schema: text,
    write: same,
  }),
  nodeOptions: variable({
    key: 'NODE_OPTIONS',
    setOn: 'every function',
    description: 'Node.js options: `--enable-source-maps`, so stack traces point into the TypeScript',
    schema: text,
    write: same,
  }),
  captureBucket: variable({
    key: 'MODEL_CARE_CAPTURE_BUCKET',
    setOn: 'monitoring jobs, fan-out steps, capture API, retraining steps',
    description: 'the capture store bucket (every prefix in functions/shared/store-layout.ts)',
    schema: text,
    write: same,
  }),
  eventBusName: variable({
    key: 'MODEL_CARE_EVENT_BUS',
    setOn: 'monitoring jobs, fan-out steps, dispatcher',
    description: "the EventBridge bus model-care's events go to (the account's default bus)",
    schema: text,
    write: same,
  }),
  metricsTtlDays: variable<number, number>({
    key: 'MODEL_CARE_METRICS_TTL_DAYS',
    setOn: 'monitoring jobs, fan-out steps',
    description:
      'days a metric time-series item lives before DynamoDB TTL removes it (`retention.metricsTtlDays`)',
    schema: positiveInteger,
    write: String,
  }),
  dashboardPrefix: variable({
    key: 'MODEL_CARE_DASHBOARD_PREFIX',
    setOn: 'monitoring jobs, fan-out steps',
    description: "prefix of the stack's one dashboard (`<prefix>-models`), for links in alerts",
    schema: text,
    write: same,
  }),
  captureRoutes: variable<CaptureRoute[], readonly CaptureRoute[]>({
    key: 'MODEL_CARE_CAPTURE_ROUTES',
    setOn: 'nothing since issue 16 (the capture API reads each route from the models table)',
    description:
      "JSON array of capture routes (functions/shared/config/capture-routes.ts); a Lambda's 4 KB environment held about 20 models",
    schema: json.pipe(z.array(captureRouteSchema)),
    write: (routes) => JSON.stringify(routes),
  }),
  captureStreamName: variable<string | undefined>({
    key: 'MODEL_CARE_CAPTURE_STREAM_NAME',
    setOn: 'capture API, when a model has `capture.transport: stream`',
    description:
      "the stack's Firehose stream of capture records (lib/constructs/capture-stream.ts); unset: no model streams",
    schema: z.string().optional(),
    write: same,
  }),
  fanOutStateMachineArn: variable<string | undefined>({
    key: 'MODEL_CARE_FAN_OUT_STATE_MACHINE_ARN',
    setOn: 'data job',
    description: 'the window fan-out state machine (lib/constructs/window-fan-out.ts); unset: never fans out',
    schema: z.string().optional(),
    write: same,
  }),
  fanOutThresholdBytes: variable<number | undefined, number>({
    key: 'MODEL_CARE_FAN_OUT_THRESHOLD_BYTES',
    setOn: 'data job',
    description: 'capture bytes in a window above which the data job fans out (`fanOut.thresholdBytes`)',
    schema: positiveNumber.optional(),
    write: String,
  }),
  fanOutToleratedPartFailureShare: variable<number | undefined, number>({
    key: 'MODEL_CARE_FAN_OUT_TOLERATED_PART_FAILURE_SHARE',
    setOn: 'fan-out reducer',
    description:
      "share of a fanned-out window's parts whose worker may fail before the run does " +
      '(`fanOut.toleratedPartFailureShare`)',
    schema: shareBelowOne.optional(),
    write: String,
  }),
  dispatchEveryMinutes: variable<number, number>({
    key: 'MODEL_CARE_DISPATCH_EVERY_MINUTES',
    setOn: 'dispatcher',
    description:
      "minutes between the dispatcher's ticks (`fleet.dispatchEveryMinutes`), which the due-window arithmetic must know",
    schema: positiveInteger,
    write: String,
  }),
  modelRoles: variable<ModelRoleSettings, ModelRoleSettingsInput>({
    key: 'MODEL_CARE_MODEL_ROLES',
    setOn: 'admin API, models seed',
    description:
      'JSON of what the per-model role manager needs from the stack (functions/shared/model-role-settings.ts)',
    schema: json.pipe(modelRoleSettingsSchema),
    write: (settings) => JSON.stringify(settings),
  }),
  modelAccessRoles: variable<StackIdentity | undefined, StackIdentity>({
    key: 'MODEL_CARE_MODEL_ACCESS_ROLES',
    setOn: 'data job, fan-out steps',
    description:
      "JSON of the stack's identity (name, region, account, partition) that names each model's access role " +
      '(functions/shared/model-roles.ts), assumed to read capture outside the stack bucket (`capture.s3Uri`); ' +
      "unset: such capture is read with the function's own role (the local twin)",
    schema: json.pipe(stackIdentitySchema).optional(),
    write: (identity) => JSON.stringify(identity),
  }),
  modelRoleStack: variable<StackIdentity, StackIdentity>({
    key: 'MODEL_CARE_MODEL_ROLE_STACK',
    setOn: 'retraining load-model step',
    description:
      'JSON of the stack identity the per-model role ARNs are named from (functions/shared/model-roles.ts)',
    schema: json.pipe(stackIdentitySchema),
    write: (identity) => JSON.stringify(identity),
  }),
  runsTable: tableVariable('runs', 'MODEL_CARE_RUNS_TABLE'),
  metricsTable: tableVariable('metrics', 'MODEL_CARE_METRICS_TABLE'),
  registryTable: tableVariable('registry', 'MODEL_CARE_REGISTRY_TABLE'),
  stateTable: tableVariable('state', 'MODEL_CARE_STATE_TABLE'),
  modelsTable: tableVariable('models', 'MODEL_CARE_MODELS_TABLE'),
  auditTable: variable({
    key: 'MODEL_CARE_AUDIT_TABLE',
    setOn: 'functions that record or read the audit trail (ResultsTables.bindAudit)',
    description: 'name of the audit table (functions/shared/tables.ts AUDIT_TABLE)',
    schema: text,
    write: same,
  }),
  pagingRoutes: variable<PagingRoute[], readonly PagingRoute[]>({
    key: 'MODEL_CARE_PAGING_ROUTES',
    setOn: 'pager notifier',
    description:
      'JSON array: per severity topic, the paging services with their endpoint and key secret (functions/shared/paging-routes.ts)',
    schema: json.pipe(z.array(pagingRouteSchema)),
    write: (routes) => JSON.stringify(routes),
  }),
  maxMuteHours: variable<number, number>({
    key: 'MODEL_CARE_MAX_MUTE_HOURS',
    setOn: 'admin API',
    description: 'the longest mute on-call may set (`onCall.maxMuteHours`)',
    schema: positiveInteger,
    write: String,
  }),
  infoTopicArn: topicVariable('info', 'MODEL_CARE_INFO_TOPIC_ARN'),
  warningTopicArn: topicVariable('warning', 'MODEL_CARE_WARNING_TOPIC_ARN'),
  criticalTopicArn: topicVariable('critical', 'MODEL_CARE_CRITICAL_TOPIC_ARN'),
  awsRegion: variable<string, never>({
    key: 'AWS_REGION',
    setOn: 'every function (by Lambda)',
    description: 'the region, for console links in alerts',
    schema: text,
  }),
} as const;

export type EnvironmentName = keyof typeof ENVIRONMENT;

/** the variable each results table is named in */
export const TABLE_VARIABLES: Readonly<Record<TableName, EnvironmentName>> = {
  runs: 'runsTable',
  metrics: 'metricsTable',
  registry: 'registryTable',
  state: 'stateTable',
  models: 'modelsTable',
};

/** the variable each alert topic's ARN is in */
export const TOPIC_VARIABLES: Readonly<Record<Severity, EnvironmentName>> = {
  info: 'infoTopicArn',
  warning: 'warningTopicArn',
  critical: 'criticalTopicArn',
};

type Entry<N extends EnvironmentName> = (typeof ENVIRONMENT)[N];
type WrittenBy<N extends EnvironmentName> = Entry<N> extends Variable<unknown, infer In> ? In : never;
type Writable = {
  [N in EnvironmentName]: Entry<N> extends { write: (value: never) => string } ? N : never;
}[EnvironmentName];

/** what lib/ may put into a function's environment, by variable */
export type EnvironmentValues = { readonly [N in Writable]?: WrittenBy<N> };

/** what a handler reads, by variable, parsed */
export type Environment<N extends EnvironmentName> = {
  readonly [K in N]: z.output<Entry<K>['schema']>;
};

/** A variable a handler needs is missing or malformed: one line naming it, e.g. `... MODEL_CARE_RUNS_TABLE is not set`. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** For lib/: a function's environment variables from typed values, in the order given. */
export const functionEnvironment = (values: EnvironmentValues): Record<string, string> => {
  const rendered: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const entry = ENVIRONMENT[name as Writable] as Variable<unknown, unknown>;
    rendered[entry.key] = entry.write!(value);
  }
  return rendered;
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');

/**
 * For handler.ts: the variables it needs, parsed once (at cold start), throwing EnvironmentError that names
 * the first variable missing or malformed.
 */
export const readEnvironment = <N extends EnvironmentName>(
  names: readonly N[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Environment<N> => {
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const { key, schema } = ENVIRONMENT[name] as Variable<unknown, unknown>;
    const raw = env[key];
    const result = schema.safeParse(raw === '' ? undefined : raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${formatPath(issue.path)}:` : '';
      throw new EnvironmentError(`environment variable ${key}${where} ${issue?.message ?? 'is invalid'}`);
    }
    values[name] = result.data;
  }
  return values as Environment<N>;
};
