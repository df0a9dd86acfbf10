import { createHash } from 'node:crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { OnCallConfig } from '../../functions/shared/config/on-call-schema.ts';
import { SEVERITIES, type Severity } from '../../functions/shared/config/vocabulary.ts';
import type { PagingRoute, PagingTarget } from '../../functions/shared/paging-routes.ts';
import type { Alerting } from './alerting.ts';
import { HouseFunction } from './house-function.ts';

export const PAGER_NOTIFIER_HANDLER = 'functions/pager-notifier/handler.ts';

export interface OnCallProps {
  readonly alerting: Alerting;
  /** the validated `onCall` section */
  readonly onCall: OnCallConfig;
  readonly logRetention: logs.RetentionDays;
}

// a secret ARN as Secrets Manager writes it ends in `-` and six random characters
const COMPLETE_SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 10);

/**
 * Alerts where on-call people are (issue 17.4). Chat: one AWS Chatbot channel configuration per Slack or Teams
 * channel, subscribed to the topics of the severities that list it; Chatbot gets a role with no permissions
 * and a deny-all guardrail, so nobody can run AWS commands from the channel. Paging: one pager notifier Lambda
 * subscribed to the topics of the severities with PagerDuty or Opsgenie, allowed to read exactly the secrets
 * the config names. Ids and names follow the channels and the severity, so reordering the config replaces
 * nothing.
 */
export class OnCall extends Construct {
  readonly slackChannels: chatbot.SlackChannelConfiguration[] = [];
  readonly teamsChannels: chatbot.CfnMicrosoftTeamsChannelConfiguration[] = [];
  /** undefined when no severity pages */
  readonly pagerNotifier?: HouseFunction;

  constructor(scope: Construct, id: string, props: OnCallProps) {
    super(scope, id);
    const { alerting, onCall } = props;
    const stackName = Stack.of(this).stackName;
    const bySeverity = SEVERITIES.flatMap((severity) => {
      const channels = onCall[severity];
      return channels ? [{ severity, channels }] : [];
    });

    // chat: channel -> the severities it hears
    const slack = new Map<string, { workspaceId: string; channelId: string; severities: Severity[] }>();
    const teams = new Map<
      string,
      { teamId: string; tenantId: string; channelId: string; severities: Severity[] }
    >();
    for (const { severity, channels } of bySeverity) {
      for (const c of channels.slack) {
        const key = `${c.workspaceId}/${c.channelId}`;
        const entry = slack.get(key) ?? { ...c, severities: [] };
        entry.severities.push(severity);
        slack.set(key, entry);
      }
      for (const c of channels.teams) {
        const key = `${c.tenantId}/${c.teamId}/${c.channelId}`;
        const entry = teams.get(key) ?? { ...c, severities: [] };
        entry.severities.push(severity);
        teams.set(key, entry);
      }
    }
    if (slack.size > 0 || teams.size > 0) {
      // notifications only: Chatbot's role may do nothing, and the guardrail caps every channel member at nothing
      const role = new iam.Role(this, 'ChatbotRole', {
        assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
        description: 'model-care: AWS Chatbot delivers alert notifications (no permissions)',
      });
      const guardrail = new iam.ManagedPolicy(this, 'ChatbotGuardrail', {
        description: 'model-care: nothing may be run from a chat channel',
        statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
      });
      for (const [key, c] of slack) {
        this.slackChannels.push(
          new chatbot.SlackChannelConfiguration(this, `Slack-${c.workspaceId}-${c.channelId}`, {
            slackChannelConfigurationName: `${stackName}-slack-${shortHash(key)}`,
            slackWorkspaceId: c.workspaceId,
            slackChannelId: c.channelId,
            notificationTopics: c.severities.map((s) => alerting.topics[s]),
            role,
            guardrailPolicies: [guardrail],
          }),
        );
      }
      for (const [key, c] of teams) {
        this.teamsChannels.push(
          new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, `Teams-${shortHash(key)}`, {
            configurationName: `${stackName}-teams-${shortHash(key)}`,
            iamRoleArn: role.roleArn,
            teamId: c.teamId,
            teamsTenantId: c.tenantId,
            teamsChannelId: c.channelId,
            snsTopicArns: c.severities.map((s) => alerting.topics[s].topicArn),
            guardrailPolicies: [guardrail.managedPolicyArn],
          }),
        );
      }
    }

    const paged = bySeverity.filter(
      ({ channels }) => channels.pagerDuty.length + channels.opsgenie.length > 0,
    );
    if (paged.length === 0) return;
    const pager = new HouseFunction(this, 'PagerNotifier', {
      entry: PAGER_NOTIFIER_HANDLER,
      description: 'model-care: pages PagerDuty and Opsgenie from the alert topics',
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
    });
    this.pagerNotifier = pager;
    const granted = new Set<string>();
    const secretOf = (reference: string): string => {
      if (!granted.has(reference)) {
        granted.add(reference);
        const secretId = `Secret-${shortHash(reference)}`;
        const secret = reference.startsWith('arn:')
          ? COMPLETE_SECRET_ARN.test(reference)
            ? secretsmanager.Secret.fromSecretCompleteArn(this, secretId, reference)
            : secretsmanager.Secret.fromSecretPartialArn(this, secretId, reference)
          : secretsmanager.Secret.fromSecretNameV2(this, secretId, reference);
        secret.grantRead(pager.function);
      }
      return reference;
    };
    const routes: PagingRoute[] = paged.map(({ severity, channels }) => {
      const targets: PagingTarget[] = [
        ...channels.pagerDuty.map((p) => ({
          service: 'pagerduty' as const,
          url: p.url,
          secretId: secretOf(p.integrationKeySecret),
        })),
        ...channels.opsgenie.map((o) => ({
          service: 'opsgenie' as const,
          url: o.url,
          secretId: secretOf(o.apiKeySecret),
        })),
      ];
      alerting.topics[severity].addSubscription(new subscriptions.LambdaSubscription(pager.function));
      return { topicArn: alerting.topics[severity].topicArn, severity, targets };
    });
    pager.addEnvironment({ pagingRoutes: routes });
  }
}
