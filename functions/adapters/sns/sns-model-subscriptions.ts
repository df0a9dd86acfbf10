import {
  GetSubscriptionAttributesCommand,
  paginateListSubscriptionsByTopic,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { Severity } from '../../shared/config/vocabulary.ts';
import {
  type ModelSubscriptions,
  planSubscriptions,
  type Recipient,
  recipientLabel,
  type SubscriptionChanges,
  SubscriptionLimitError,
  SubscriptionPendingError,
} from '../model-subscriptions.ts';
import { MAX_MODELS_PER_POLICY, modelsInPolicy, policyFor } from './model-filter-policy.ts';

const defaultSns = new SNSClient({});

/** how SNS lists a subscription that waits for its email confirmation */
const PENDING = 'PendingConfirmation';

/**
 * ModelSubscriptions on SNS, one topic per severity. Subscriptions are found by topic, protocol and address;
 * a model is added to or taken out of the filter policy of the one subscription SNS keeps for them, and the
 * subscription is deleted when its last model goes. Subscriptions without a filter policy (operators, who get
 * every alert of a severity) and ones with a policy of another shape are left as they are.
 *
 * Two puts that change the same address's policy at the same moment can overwrite each other (SNS has no
 * conditional update); the next put of either model puts it right.
 */
export const makeSnsModelSubscriptions = (
  topics: Record<Severity, string>,
  sns: SNSClient = defaultSns,
): ModelSubscriptions => {
  const listTopic = async (topicArn: string): Promise<Map<string, string>> => {
    const arns = new Map<string, string>();
    for await (const page of paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn })) {
      for (const s of page.Subscriptions ?? []) {
        if (s.Protocol && s.Endpoint && s.SubscriptionArn)
          arns.set(`${s.Protocol} ${s.Endpoint}`, s.SubscriptionArn);
      }
    }
    return arns;
  };

  /**
   * An unconfirmed email subscription is listed without its ARN; Subscribe with the same address and no
   * attributes answers with it (and sends the confirmation email again).
   */
  const arnOf = async (listed: string, r: Recipient): Promise<string> => {
    if (listed !== PENDING) return listed;
    try {
      const out = await sns.send(
        new SubscribeCommand({
          TopicArn: topics[r.severity],
          Protocol: r.protocol,
          Endpoint: r.endpoint,
          ReturnSubscriptionArn: true,
        }),
      );
      if (out.SubscriptionArn?.startsWith('arn:')) return out.SubscriptionArn;
    } catch {
      // fall through to the error that says what to do
    }
    throw new SubscriptionPendingError(recipientLabel(r));
  };

  const filterPolicy = async (arn: string): Promise<string | undefined> => {
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    const policy = Attributes?.FilterPolicy;
    return policy === undefined || policy === '' ? undefined : policy;
  };

  const setPolicy = (arn: string, models: readonly string[]) =>
    sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: arn,
        AttributeName: 'FilterPolicy',
        AttributeValue: policyFor(models),
      }),
    );

  return {
    async reconcile(model, wanted, formerly) {
      const changes: SubscriptionChanges = { subscribed: [], unsubscribed: [], skipped: [] };
      const { keep, drop } = planSubscriptions(wanted, formerly);
      const listings = new Map<Severity, Map<string, string>>();
      const listed = async (r: Recipient): Promise<string | undefined> => {
        let listing = listings.get(r.severity);
        if (!listing) {
          listing = await listTopic(topics[r.severity]);
          listings.set(r.severity, listing);
        }
        return listing.get(`${r.protocol} ${r.endpoint}`);
      };

      for (const r of keep) {
        const label = recipientLabel(r);
        const existing = await listed(r);
        if (!existing) {
          await sns.send(
            new SubscribeCommand({
              TopicArn: topics[r.severity],
              Protocol: r.protocol,
              Endpoint: r.endpoint,
              Attributes: { FilterPolicy: policyFor([model]) },
              ReturnSubscriptionArn: true,
            }),
          );
          changes.subscribed.push(label);
          continue;
        }
        const arn = await arnOf(existing, r);
        const policy = await filterPolicy(arn);
        if (policy === undefined) {
          changes.skipped.push({ recipient: label, reason: 'already receives every alert of the severity' });
          continue;
        }
        const models = modelsInPolicy(policy);
        if (!models) {
          changes.skipped.push({ recipient: label, reason: 'has a filter policy model-care did not make' });
          continue;
        }
        if (models.includes(model)) continue;
        if (models.length >= MAX_MODELS_PER_POLICY)
          throw new SubscriptionLimitError(label, MAX_MODELS_PER_POLICY);
        await setPolicy(arn, [...models, model]);
        changes.subscribed.push(label);
      }

      for (const r of drop) {
        const existing = await listed(r);
        if (!existing) continue;
        const arn = await arnOf(existing, r);
        const policy = await filterPolicy(arn);
        const models = policy === undefined ? undefined : modelsInPolicy(policy);
        if (!models?.includes(model)) continue;
        const rest = models.filter((m) => m !== model);
        if (rest.length === 0) await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
        else await setPolicy(arn, rest);
        changes.unsubscribed.push(recipientLabel(r));
      }
      return changes;
    },
  };
};
