import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Recipients } from '../../functions/shared/config/recipients-schema.ts';
import { SEVERITIES, type Severity } from '../../functions/shared/config/vocabulary.ts';
import { TOPIC_VARIABLES } from '../../functions/shared/environment.ts';
import type { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards } from './private/nag.ts';

const PUBLISH_KEY_REASON =
  'Publishing to a KMS-encrypted topic needs data keys of the topic key (kms:GenerateDataKey*, from the grant).';

const ALARMS_PRINCIPAL = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

/**
 * CloudWatch sets both keys when an alarm action publishes (aws:SourceArn is the alarm's ARN): without them any
 * account's alarms could publish to these topics through the service principal.
 */
export const alarmsOfThisAccount = (scope: Construct): Record<string, Record<string, string>> => ({
  StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
  ArnLike: {
    'aws:SourceArn': Stack.of(scope).formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  },
});

export type RecipientsBySeverity = Partial<Record<Severity, Recipients>>;

export interface AlertingProps {
  /** encrypts the topics; CloudWatch alarms are allowed to use it so that alarm actions can publish */
  readonly encryptionKey: kms.IKey;
  /** operators: every message of a severity, including CloudWatch alarms, for all models */
  readonly operators: RecipientsBySeverity;
}

/**
 * One SNS topic per severity. Operators subscribe unfiltered; a model's own recipients subscribe with a filter
 * policy on the `model` message attribute, which the alert router and the state machine set (alarm
 * notifications carry no attributes, so they reach operators only).
 */
export class Alerting extends Construct {
  readonly topics: Record<Severity, sns.Topic>;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    // alarm actions publish as cloudwatch.amazonaws.com: the key must let it make data keys, and only for alarms
    // of this account and region (the confused-deputy guard). An imported key's policy is its owner's to change.
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmActionsOfThisAccountUseTheKey',
        principals: [ALARMS_PRINCIPAL],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: alarmsOfThisAccount(this),
      }),
    );

    const topic = (severity: Severity): sns.Topic =>
      new sns.Topic(this, `${severity[0]?.toUpperCase()}${severity.slice(1)}Topic`, {
        displayName: `model-care ${severity}`,
        masterKey: props.encryptionKey,
        enforceSSL: true,
      });
    this.topics = { info: topic('info'), warning: topic('warning'), critical: topic('critical') };
    for (const severity of SEVERITIES) {
      this.topics[severity].addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AlarmActionsOfThisAccountPublish',
          principals: [ALARMS_PRINCIPAL],
          actions: ['sns:Publish'],
          resources: [this.topics[severity].topicArn],
          conditions: alarmsOfThisAccount(this),
        }),
      );
    }

    for (const severity of SEVERITIES) this.subscribe(severity, props.operators[severity], 'operators');
  }

  /** the alarm action that notifies a severity's topic */
  action(severity: Severity): cloudwatch.IAlarmAction {
    return new actions.SnsAction(this.topics[severity]);
  }

  /** lets the function publish to every topic (with the key) and tells it their ARNs */
  bindPublisher(fn: HouseFunction): void {
    for (const severity of SEVERITIES) {
      this.topics[severity].grantPublish(fn.function);
      fn.addEnvironment({ [TOPIC_VARIABLES[severity]]: this.topics[severity].topicArn });
    }
    acknowledgeWildcards(fn.role, ['Action::kms:GenerateDataKey*'], PUBLISH_KEY_REASON);
  }

  /** for principals that publish without being a HouseFunction (the state machine) */
  grantPublish(grantee: iam.IRole, severity: Severity): void {
    this.topics[severity].grantPublish(grantee);
    this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey*');
    acknowledgeWildcards(grantee, ['Action::kms:GenerateDataKey*'], PUBLISH_KEY_REASON);
  }

  private subscribe(
    severity: Severity,
    recipients: Recipients | undefined,
    group: string,
    filterPolicy?: Record<string, sns.SubscriptionFilter>,
  ): void {
    const topic = this.topics[severity];
    // ids from the address keep a subscription (and its confirmed state) when the config's order changes
    const add = (protocol: sns.SubscriptionProtocol, endpoint: string): void => {
      new sns.Subscription(this, `${group}-${severity}-${protocol}-${endpoint}`, {
        topic,
        protocol,
        endpoint,
        filterPolicy,
      });
    };
    for (const email of recipients?.emails ?? []) add(sns.SubscriptionProtocol.EMAIL, email);
    for (const phone of recipients?.sms ?? []) add(sns.SubscriptionProtocol.SMS, phone);
  }
}
