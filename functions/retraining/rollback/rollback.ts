import type { RegistryRepository } from '../../adapters/registry-repository.ts';
import { type VersionLedger, VersionLedgerMissingError } from '../../adapters/version-ledger.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { EndpointRestore, RollbackResult } from '../../shared/retraining-contract.ts';
import {
  endpointRestoreSchema,
  executionRefSchema,
  failureSchema,
  outcomeSchema,
  parseStepInput,
  preparedDataSchema,
  versionSchema,
} from '../shared/step-input.ts';

export interface RollbackDeps {
  readonly registry: RegistryRepository;
  readonly ledger: VersionLedger;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/** what the state machine's restore did to the endpoint, in the words of the alert */
const endpointAction = (restore: EndpointRestore | null, endpoint: string | undefined) => {
  if (!endpoint) return undefined;
  if (!restore) return `endpoint ${endpoint} untouched (the execution failed before it planned a promotion)`;
  return restore.detail ?? `endpoint ${endpoint}: restore ${restore.outcome}`;
};

/**
 * Puts back what the execution changed in the registry, and only that, so it is safe at any point of the
 * workflow: when the challenger became champion, the previous champion is restored; a registered challenger is
 * marked `rolled-back` in the ledger. The endpoint was already returned to its restore point by the state
 * machine (EndpointRestore, a wait loop that outlasts a busy endpoint); this step says what happened to it, so
 * the critical alert tells the whole story. `rolledBack` tells whether the endpoint or the champion had to move.
 */
export const makeRollbackHandler = (deps: RollbackDeps) => {
  const { registry, ledger, logger } = deps;

  return async (event: unknown): Promise<RollbackResult> => {
    const { model, execution, failure, endpointRestore, data, version } = parseStepInput(
      'rollback',
      {
        execution: executionRefSchema,
        failure: failureSchema,
        endpointRestore: endpointRestoreSchema.nullable(),
        data: preparedDataSchema.nullable(),
        version: versionSchema.nullable(),
        outcome: outcomeSchema.nullable(),
      },
      event,
    );
    const actions: string[] = [];
    let rolledBack = endpointRestore?.outcome === 'restored';
    const endpointConfigName = endpointRestore?.observed?.endpointConfigName ?? null;
    const endpointLine = endpointAction(endpointRestore, model.endpoint?.name);
    if (endpointLine) actions.push(endpointLine);

    if (version) {
      const champion = await registry.getChampion(model.name);
      if (champion?.version === version.version) {
        const previous = champion.previousVersion ?? data?.championVersion ?? null;
        if (previous !== null) {
          await registry.setChampion(model.name, previous, version.version, deps.now());
          rolledBack = true;
          actions.push(`champion back to version ${previous} from ${version.version}`);
        } else {
          actions.push(`version ${version.version} stays champion: there was none before it`);
        }
      }
      try {
        await ledger.setStatus(model.name, version.version, {
          status: 'rolled-back',
          at: deps.now().toISOString(),
          executionId: execution.id,
          detail: `${failure.Error}: ${failure.Cause}`.slice(0, 1000),
          approval: null,
        });
        actions.push(`version ${version.version} marked rolled-back`);
      } catch (error) {
        if (!(error instanceof VersionLedgerMissingError)) throw error;
        logger.warn('the version has no ledger entry to mark', {
          model: model.name,
          version: version.version,
        });
      }
    }
    if (actions.length === 0) actions.push('nothing was changed yet');
    const detail = actions.join('; ');
    logger.warn('retraining rolled back', {
      model: model.name,
      execution: execution.name,
      failure: failure.Error,
      jobName: data?.jobName ?? null,
      rolledBack,
      detail,
    });
    return { rolledBack, endpointConfigName, detail };
  };
};
