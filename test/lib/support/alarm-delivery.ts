import type { CfnResource, CfnTemplate } from '../../../local/step-functions/resolve-state-machine.ts';

/**
 * Whether CloudWatch can deliver each alarm action of a synthesized template (issue 10.6): an alarm action that
 * publishes to an SSE-KMS topic is made by cloudwatch.amazonaws.com, so the topic's policy must let that
 * principal sns:Publish and the topic key's policy must let it kms:Decrypt and kms:GenerateDataKey*, each
 * conditioned on aws:SourceAccount being the stack's own account. Read from the template alone (AWS documents
 * these requirements; no emulator implements alarm delivery), one problem per undeliverable action.
 */

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const ACTION_FIELDS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'] as const;
const THIS_ACCOUNT = JSON.stringify({ Ref: 'AWS::AccountId' });

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const servicePrincipals = (principal: unknown): string[] =>
  typeof principal === 'object' && principal !== null
    ? list((principal as { Service?: string | string[] }).Service)
    : [];

/** an IAM action pattern (`kms:GenerateDataKey*`, `sns:*`) covers the action; IAM compares case-insensitively */
const covers = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

const conditionedOnThisAccount = (statement: PolicyStatement): boolean =>
  list(statement.Condition?.StringEquals?.['aws:SourceAccount'] as unknown).some(
    (value) => JSON.stringify(value) === THIS_ACCOUNT,
  );

/** whether some Allow statement admits CloudWatch for every action, for this account's alarms only */
const admitsCloudWatch = (
  statements: readonly PolicyStatement[],
  actions: readonly string[],
  resource?: unknown,
): boolean =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      servicePrincipals(s.Principal).includes(CLOUDWATCH) &&
      actions.every((action) => list(s.Action).some((pattern) => covers(pattern, action))) &&
      (resource === undefined ||
        list(s.Resource).some((r) => r === '*' || JSON.stringify(r) === JSON.stringify(resource))) &&
      conditionedOnThisAccount(s),
  );

const referencedId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
};

const topicPolicyStatements = (resources: Record<string, CfnResource>, topicId: string): PolicyStatement[] =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::SNS::TopicPolicy')
    .filter((r) => list(r.Properties?.Topics as unknown[]).some((t) => referencedId(t) === topicId))
    .flatMap((r) => list((r.Properties?.PolicyDocument as { Statement?: PolicyStatement[] })?.Statement));

/** why the action cannot be delivered, or undefined when it can */
const actionProblem = (resources: Record<string, CfnResource>, action: unknown): string | undefined => {
  const topicId = referencedId(action);
  const topic = topicId === undefined ? undefined : resources[topicId];
  if (!topicId || topic?.Type !== 'AWS::SNS::Topic')
    return `${JSON.stringify(action)} is not an SNS topic of this template`;
  if (!admitsCloudWatch(topicPolicyStatements(resources, topicId), ['sns:Publish'], { Ref: topicId }))
    return `topic ${topicId}'s policy does not let ${CLOUDWATCH} sns:Publish under aws:SourceAccount`;
  const keyRef = topic.Properties?.KmsMasterKeyId;
  if (keyRef === undefined) return undefined;
  const keyId = referencedId(keyRef);
  const key = keyId === undefined ? undefined : resources[keyId];
  if (!keyId || key?.Type !== 'AWS::KMS::Key')
    return `topic ${topicId} is encrypted with a key outside this template, whose policy cannot be checked`;
  const keyStatements = list((key.Properties?.KeyPolicy as { Statement?: PolicyStatement[] })?.Statement);
  if (!admitsCloudWatch(keyStatements, ['kms:Decrypt', 'kms:GenerateDataKey']))
    return `key ${keyId} of topic ${topicId} does not let ${CLOUDWATCH} kms:Decrypt and kms:GenerateDataKey* under aws:SourceAccount`;
  return undefined;
};

export interface AlarmDelivery {
  /** alarm actions found, over all alarms */
  readonly actions: number;
  /** `<alarm logical id> <field>: <why>` for every action CloudWatch could not deliver */
  readonly problems: string[];
}

export const alarmDelivery = (template: CfnTemplate): AlarmDelivery => {
  const problems: string[] = [];
  let actions = 0;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm')
      continue;
    for (const field of ACTION_FIELDS) {
      for (const action of list(resource.Properties?.[field] as unknown[])) {
        actions += 1;
        const problem = actionProblem(template.Resources, action);
        if (problem) problems.push(`${id} ${field}: ${problem}`);
      }
    }
  }
  return { actions, problems };
};
