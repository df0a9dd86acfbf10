import type { ModelRoles } from '../functions/adapters/model-roles.ts';
import {
  type ModelSubscriptions,
  planSubscriptions,
  type Recipient,
  recipientLabel,
  recipientsOf,
} from '../functions/adapters/model-subscriptions.ts';
import { modelRoleArn, modelRoleNames, type StackIdentity } from '../functions/shared/model-roles.ts';

/**
 * The admin service's side-effect ports in the local twin, which has no IAM and no SNS subscriptions: roles are
 * named exactly as in AWS (so state-machine inputs look the same) but not created; each model's recipients are
 * kept in memory, for the local notifier to address and for tests to read.
 */
export const makeLocalModelRoles = (stack: StackIdentity): ModelRoles => ({
  async ensure(model) {
    const names = modelRoleNames(stack, model.name);
    return {
      accessRoleArn: modelRoleArn(stack, names.access),
      ...(model.retraining ? { trainingRoleArn: modelRoleArn(stack, names.training) } : {}),
    };
  },
  async remove() {},
});

export interface LocalModelSubscriptions extends ModelSubscriptions {
  /** who receives a model's alerts, per severity, protocol and address */
  recipients(model: string): Recipient[];
}

export const makeLocalModelSubscriptions = (): LocalModelSubscriptions => {
  const byModel = new Map<string, Recipient[]>();
  return {
    async reconcile(model, wanted, formerly) {
      const before = new Set((byModel.get(model) ?? []).map(recipientLabel));
      const { keep, drop } = planSubscriptions(wanted, formerly);
      const now = recipientsOf(wanted);
      if (now.length > 0) byModel.set(model, now);
      else byModel.delete(model);
      return {
        subscribed: keep.map(recipientLabel).filter((label) => !before.has(label)),
        unsubscribed: drop.map(recipientLabel).filter((label) => before.has(label)),
        skipped: [],
      };
    },
    recipients: (model) => byModel.get(model) ?? [],
  };
};
