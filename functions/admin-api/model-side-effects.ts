import type { ModelRoles } from '../adapters/model-roles.ts';
import type { ModelStore, ModelSummary, ModelVersionRecord } from '../adapters/model-store.ts';
import type {
  ModelSubscriptions,
  RecipientsBySeverity,
  SubscriptionChanges,
} from '../adapters/model-subscriptions.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';

/**
 * What a stored version implies outside the table: the model's IAM roles and its alert subscriptions. Applied
 * after the version is stored and recorded as applied once done (`appliedVersion`), so a put or removal whose
 * side effects failed is completed by the next put, retry or seed of the model.
 */

export interface SideEffectPorts {
  readonly store: ModelStore;
  readonly roles: ModelRoles;
  readonly subscriptions: ModelSubscriptions;
}

export interface AppliedSideEffects {
  /** the version whose side effects are now in place */
  readonly version: number;
  /** false when they already were */
  readonly applied: boolean;
  readonly subscriptions?: SubscriptionChanges;
}

/** The version is stored, but its roles or subscriptions are not in place yet; the same request again fixes it. */
export class ModelSideEffectsError extends Error {
  override readonly name = 'ModelSideEffectsError';
  constructor(
    readonly model: string,
    readonly version: number,
    readonly step: 'IAM roles' | 'alert subscriptions',
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `model ${model} is stored as version ${version}, but its ${step} could not be set up (${reason}): send the same request again`,
      options,
    );
  }
}

/** earlier versions read when looking for subscriptions to retire; more than this many failed puts in a row is absurd */
const MAX_UNAPPLIED_VERSIONS = 20;

const recipientsOf = (config: ModelConfig): RecipientsBySeverity => ({
  info: config.alerts.info,
  warning: config.alerts.warning,
  critical: config.alerts.critical,
});

const step = async <T>(
  record: ModelVersionRecord,
  name: ModelSideEffectsError['step'],
  run: () => Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelSideEffectsError(record.name, record.version, name, reason, { cause: error });
  }
};

/** recipients of every version since the last one applied: their subscriptions may still be in place */
const formerRecipients = async (
  store: ModelStore,
  record: ModelVersionRecord,
  current: ModelSummary,
): Promise<RecipientsBySeverity[]> => {
  const first = Math.max(current.appliedVersion ?? 1, record.version - MAX_UNAPPLIED_VERSIONS, 1);
  const versions = Array.from({ length: Math.max(0, record.version - first) }, (_, i) => first + i);
  const records = await Promise.all(versions.map((v) => store.get(record.name, v)));
  return records.map((stored) => recipientsOf(stored.record.config));
};

const applyOnce = async (
  ports: SideEffectPorts,
  record: ModelVersionRecord,
  current: ModelSummary,
): Promise<AppliedSideEffects> => {
  const formerly = await formerRecipients(ports.store, record, current);
  let subscriptions: SubscriptionChanges;
  if (record.change === 'remove') {
    await step(record, 'IAM roles', () => ports.roles.remove(record.name));
    subscriptions = await step(record, 'alert subscriptions', () =>
      ports.subscriptions.reconcile(record.name, {}, [...formerly, recipientsOf(record.config)]),
    );
  } else {
    await step(record, 'IAM roles', () => ports.roles.ensure(record.config));
    subscriptions = await step(record, 'alert subscriptions', () =>
      ports.subscriptions.reconcile(record.name, recipientsOf(record.config), formerly),
    );
  }
  await ports.store.markApplied(record.name, record.version);
  return { version: record.version, applied: true, subscriptions };
};

/**
 * Brings roles and subscriptions in line with the model's current version. When another writer stored a newer
 * version meanwhile and finished first, this writer's (older) roles may have overwritten its: apply the newest
 * once more, so the last word is always the newest version's.
 */
export const applySideEffects = async (
  ports: SideEffectPorts,
  record: ModelVersionRecord,
  current: ModelSummary,
): Promise<AppliedSideEffects> => {
  if (current.appliedVersion === current.version && current.version === record.version) {
    return { version: record.version, applied: false };
  }
  let outcome = await applyOnce(ports, record, current);
  for (let round = 0; round < 2; round++) {
    const latest = await ports.store.get(record.name);
    if (
      latest.current.version === outcome.version ||
      latest.current.appliedVersion !== latest.current.version
    ) {
      break;
    }
    outcome = await applyOnce(ports, latest.record, { ...latest.current, appliedVersion: outcome.version });
  }
  return outcome;
};
