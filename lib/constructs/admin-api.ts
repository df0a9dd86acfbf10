import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Severity } from '../../functions/shared/config/vocabulary.ts';
import { TOPIC_VARIABLES } from '../../functions/shared/environment.ts';
import type { ModelRoleSettingsInput } from '../../functions/shared/model-role-settings.ts';
import { MODEL_TAG_KEY } from '../../functions/shared/model-roles.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import { HouseFunction } from './house-function.ts';
import { ModelRoleBoundary } from './model-role-boundary.ts';
import { acknowledgeWildcards } from './private/nag.ts';
import type { ResultsTables } from './results-tables.ts';

export const ADMIN_API_HANDLER = 'functions/admin-api/handler.ts';

/** what the role manager calls on the model roles (functions/adapters/iam/iam-model-roles.ts) */
const ROLE_ACTIONS = [
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UpdateAssumeRolePolicy',
];
/** what the subscription manager calls on the severity topics (functions/adapters/sns/sns-model-subscriptions.ts) */
const TOPIC_ACTIONS = [
  'sns:GetSubscriptionAttributes',
  'sns:ListSubscriptionsByTopic',
  'sns:SetSubscriptionAttributes',
  'sns:Subscribe',
  'sns:Unsubscribe',
];

export interface AdminApiProps {
  readonly tables: ResultsTables;
  /** the stack bucket: every training role reads and writes its own `training/<model>/` prefix in it */
  readonly store: CaptureStore;
  readonly alerting: Alerting;
  /** may assume the per-model access roles: the job functions' and retraining steps' roles */
  readonly trustedRoles: readonly iam.IRole[];
  readonly logRetention: logs.RetentionDays;
  /** `onCall.maxMuteHours`: the longest mute the API accepts */
  readonly maxMuteHours: number;
}

/**
 * The admin API of models as data (issue 16): a Lambda behind a Function URL with AWS_IAM auth (callers sign
 * with SigV4 and need lambda:InvokeFunctionUrl; the URL tells the function who called). A put or remove also
 * manages the model's IAM roles and SNS subscriptions as data, so the function may create roles only under the
 * stack's IAM path and only with the stack's permissions boundary attached, and subscribe only on the stack's
 * topics. `bindAdministration` gives another function (the seed) exactly the same rights and environment.
 */
export class AdminApi extends Construct {
  readonly handler: HouseFunction;
  readonly url: lambda.FunctionUrl;
  readonly boundary: ModelRoleBoundary;
  /** attached to every training role: its model's `training/<model>/` prefix of the stack bucket, by tag */
  readonly trainingDataPolicy: iam.ManagedPolicy;
  private readonly props: AdminApiProps;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    if (props.trustedRoles.length === 0) throw new Error('AdminApi: trustedRoles needs at least one role');
    this.props = props;
    this.boundary = new ModelRoleBoundary(this, 'ModelRoleBoundary');
    this.trainingDataPolicy = trainingDataPolicy(this, props.store);
    this.handler = new HouseFunction(this, 'Handler', {
      entry: ADMIN_API_HANDLER,
      description: 'model-care: admin API (models as data; alert acknowledgements and mutes)',
      // a put creates two roles and a few subscriptions; IAM and SNS answer in tenths of a second each
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
    });
    this.bindAdministration(this.handler);
    // acknowledgements and mutes live in the state table, next to the router's alert state
    props.tables.bind(this.handler, 'state', 'readWrite');
    this.handler.addEnvironment({ maxMuteHours: props.maxMuteHours });
    this.url = this.handler.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /** the models table, the model-role settings, the topics and the IAM to manage roles and subscriptions */
  bindAdministration(fn: HouseFunction): void {
    const { tables, alerting, trustedRoles } = this.props;
    const stack = Stack.of(this);
    tables.bind(fn, 'models', 'readWrite');
    // config put/remove, mutes and acknowledgements are recorded in the audit trail
    tables.bindAudit(fn, 'append');
    const settings: ModelRoleSettingsInput = {
      stackName: stack.stackName,
      region: stack.region,
      account: stack.account,
      // a token that resolves to one of the schema's partitions
      partition: stack.partition as ModelRoleSettingsInput['partition'],
      permissionsBoundaryArn: this.boundary.policy.managedPolicyArn,
      trustedRoleArns: trustedRoles.map((role) => role.roleArn),
      trainingPolicyArns: [this.trainingDataPolicy.managedPolicyArn],
    };
    fn.addEnvironment({ modelRoles: settings });
    for (const severity of Object.keys(alerting.topics) as Severity[]) {
      fn.addEnvironment({ [TOPIC_VARIABLES[severity]]: alerting.topics[severity].topicArn });
    }

    const roles = this.boundary.roleArnPattern;
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateModelRolesWithTheBoundary',
        actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
        resources: [roles],
        conditions: { StringEquals: { 'iam:PermissionsBoundary': this.boundary.policy.managedPolicyArn } },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ManageModelRoles', actions: ROLE_ACTIONS, resources: [roles] }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AttachOnlyTheTrainingDataPolicy',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: [roles],
        conditions: { ArnEquals: { 'iam:PolicyARN': this.trainingDataPolicy.managedPolicyArn } },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageModelSubscriptions',
        actions: TOPIC_ACTIONS,
        resources: Object.values(alerting.topics).map((topic) => topic.topicArn),
      }),
    );
    acknowledgeWildcards(
      fn.role,
      [`Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role${this.boundary.rolePath}*`],
      "The per-model roles are data, created at `models put` with names that follow the model's name, so they " +
        "are matched by the stack's IAM path; CreateRole and PutRolePermissionsBoundary only with the stack's " +
        'permissions boundary (iam:PermissionsBoundary), so no role created here can exceed it.',
    );
  }
}

/** the tag every model role carries, as an IAM policy variable */
const MODEL_TAG = `\${aws:PrincipalTag/${MODEL_TAG_KEY}}`;

/**
 * One managed policy for every training role: SageMaker runs training with the role and propagates no session
 * tags, so the role's own tag (set by the role manager at `models put`) names the one prefix it may use. The
 * prepared channels, holdout, transform output and artifacts all live under `training/<model>/`.
 */
const trainingDataPolicy = (scope: Construct, store: CaptureStore): iam.ManagedPolicy => {
  const policy = new iam.ManagedPolicy(scope, 'TrainingDataPolicy', {
    description:
      "model-care: a training role's own training/<model>/ prefix of the stack bucket (by its tag)",
    statements: [
      new iam.PolicyStatement({
        sid: 'OwnTrainingObjects',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [store.bucket.arnForObjects(`training/${MODEL_TAG}/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'ListOwnTrainingPrefix',
        actions: ['s3:ListBucket'],
        resources: [store.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`training/${MODEL_TAG}/*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'StoreKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [store.encryptionKey.keyArn],
      }),
    ],
  });
  acknowledgeWildcards(
    policy,
    [
      `Resource::<${Stack.of(scope).getLogicalId(store.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/training/<aws:PrincipalTag/${MODEL_TAG_KEY}>/*`,
    ],
    "A training role's objects are its own model's prefix, named by the role's model-care-model tag; the keys " +
      'under it follow the training job names, which are made at run time.',
  );
  return policy;
};
