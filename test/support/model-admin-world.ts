import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeEach } from 'vitest';
import { makeDynamoAuditLog } from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeIamModelRoles } from '../../functions/adapters/iam/iam-model-roles.ts';
import type { ModelRoles } from '../../functions/adapters/model-roles.ts';
import type { ModelSubscriptions } from '../../functions/adapters/model-subscriptions.ts';
import { makeSnsModelSubscriptions } from '../../functions/adapters/sns/sns-model-subscriptions.ts';
import { makeModelAdmin } from '../../functions/admin-api/model-admin.ts';
import type { Severity } from '../../functions/shared/config/vocabulary.ts';
import {
  type ModelRoleSettings,
  modelRoleSettingsSchema,
} from '../../functions/shared/model-role-settings.ts';
import { recordingLogger } from '../handlers/support/fakes.ts';
import { useDynalite } from './dynalite.ts';
import { MOTO_ACCOUNT } from './moto-server.ts';
import { useMotoServer } from './use-moto-server.ts';

const ALLOW = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});
export const policyArn = (name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:policy/${name}`;

/**
 * The model admin service on real parts for one test file: the models table on dynalite (a fresh table per
 * test), IAM and SNS on moto (reset per test, with the stack's boundary and ABAC policies and the three
 * severity topics created as the stack would).
 */
export const useModelAdminWorld = (stackName = 'ModelCare') => {
  const dynamo = useDynalite([]);
  const moto = useMotoServer();
  let tables = 0;
  let table = '';
  let auditTable = '';
  let topics: Record<Severity, string> = { info: '', warning: '', critical: '' };

  const iam = () => new IAMClient(moto.current.clientConfig);
  const sns = () => new SNSClient(moto.current.clientConfig);
  const settings = (): ModelRoleSettings =>
    modelRoleSettingsSchema.parse({
      stackName,
      region: 'us-east-1',
      account: MOTO_ACCOUNT,
      permissionsBoundaryArn: policyArn('model-care-boundary'),
      trustedRoleArns: [`arn:aws:iam::${MOTO_ACCOUNT}:role/${stackName}-DataJob`],
      accessPolicyArns: [policyArn('model-care-access-abac')],
      trainingPolicyArns: [policyArn('model-care-training-abac')],
    });

  beforeEach(async () => {
    table = `models-${++tables}`;
    await dynamo.current.createTable({ name: table });
    auditTable = `audit-${tables}`;
    await dynamo.current.createTable({ name: auditTable });
    await moto.current.reset();
    for (const name of ['model-care-boundary', 'model-care-access-abac', 'model-care-training-abac']) {
      await iam().send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: ALLOW }));
    }
    const topic = async (severity: string) =>
      (await sns().send(new CreateTopicCommand({ Name: `${stackName}-${severity}` }))).TopicArn ?? '';
    topics = {
      info: await topic('info'),
      warning: await topic('warning'),
      critical: await topic('critical'),
    };
  });

  const world = {
    get dynamo() {
      return dynamo.current;
    },
    get moto() {
      return moto.current;
    },
    get table() {
      return table;
    },
    get topics() {
      return topics;
    },
    iam,
    sns,
    settings,
    store: () => makeDynamoModelStore(table, dynamo.current.documentClient),
    /** the audit trail the service records its changes in (a fresh table per test) */
    audit: () => makeDynamoAuditLog(auditTable, dynamo.current.documentClient),
    roles: (): ModelRoles => makeIamModelRoles(settings(), iam()),
    subscriptions: (): ModelSubscriptions => makeSnsModelSubscriptions(topics, sns()),
    /** the service on the real adapters; `ports` swaps one for a decorated one */
    admin: (ports: { roles?: ModelRoles; subscriptions?: ModelSubscriptions } = {}) => {
      const logger = recordingLogger();
      return Object.assign(
        makeModelAdmin({
          store: world.store(),
          roles: ports.roles ?? world.roles(),
          subscriptions: ports.subscriptions ?? world.subscriptions(),
          logger,
          audit: world.audit(),
        }),
        { logger },
      );
    },
  };
  return world;
};
