import type { AuditLog } from '../adapters/audit-log.ts';
import type { ModelStore, ModelVersionRecord } from '../adapters/model-store.ts';

const stateOf = (record: Pick<ModelVersionRecord, 'version' | 'configHash'>) => ({
  version: record.version,
  // the store writes `sha256:<hex>`, the audit shape holds the hex
  configHash: record.configHash.replace(/^sha256:/, ''),
});

/**
 * The audit entry of a stored config change: `config.put` (created, changed or recreated) or `config.removed`,
 * with the version and config hash before and after, by the principal the store recorded. The previous
 * version's hash is read back from the store: the record names only its number.
 */
export const recordChange = async (
  audit: AuditLog,
  store: Pick<ModelStore, 'get'>,
  record: ModelVersionRecord,
): Promise<void> => {
  const previous =
    record.previousVersion === null ? null : (await store.get(record.name, record.previousVersion)).record;
  const reason =
    record.reason ?? `${record.change} through ${record.source === 'api' ? 'the admin API' : 'cdk deploy'}`;
  if (record.change === 'remove') {
    await audit.append({
      model: record.name,
      action: 'config.removed',
      principal: record.principal,
      reason,
      // a removal's own record carries the config that was removed, so its hash is the state before
      before: previous ? stateOf(previous) : stateOf(record),
      after: null,
    });
    return;
  }
  await audit.append({
    model: record.name,
    action: 'config.put',
    principal: record.principal,
    reason,
    // a recreated model starts a new life: the removed version is not its "before"
    before: previous && record.change !== 'recreate' ? stateOf(previous) : null,
    after: { ...stateOf(record), change: record.change },
  });
};
