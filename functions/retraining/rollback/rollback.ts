import type { EndpointControl, EndpointDescription } from '../../adapters/endpoint-control.ts';
import { EndpointBusyError } from '../../adapters/errors.ts';
import type { RegistryRepository } from '../../adapters/registry-repository.ts';
import { sleep as realSleep, type Sleep } from '../../adapters/retry.ts';
import { type VersionLedger, VersionLedgerMissingError } from '../../adapters/version-ledger.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { RollbackResult } from '../../shared/retraining-contract.ts';
import {
  currentEndpointSchema,
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
  readonly endpoints: EndpointControl;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** waits while the endpoint is still updating; injected so tests do not wait */
  readonly sleep?: Sleep;
  /** @default 5000 */
  readonly busyPollMs?: number;
  /** polls before giving up on a busy endpoint (the step has 30 s); @default 4 */
  readonly busyPolls?: number;
}

const BUSY = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

/**
 * Puts back what the execution changed, and only that, so it is safe at any point of the workflow:
 * - the endpoint: when it serves another config than the one DescribeCurrentEndpoint saw, UpdateEndpoint back
 *   to it (after waiting out an update still in flight); a failed update that SageMaker already reverted needs
 *   nothing;
 * - the registry: when the challenger became champion, the previous champion is restored; a registered
 *   challenger is marked `rolled-back` in the ledger.
 * `rolledBack` tells whether the endpoint or the champion had to be moved back.
 */
export const makeRollbackHandler = (deps: RollbackDeps) => {
  const { registry, ledger, endpoints, logger } = deps;
  const sleep = deps.sleep ?? realSleep;
  const busyPollMs = deps.busyPollMs ?? 5_000;
  const busyPolls = deps.busyPolls ?? 4;

  return async (event: unknown): Promise<RollbackResult> => {
    const { model, execution, failure, current, data, version } = parseStepInput(
      'rollback',
      {
        execution: executionRefSchema,
        failure: failureSchema,
        current: currentEndpointSchema.nullable(),
        data: preparedDataSchema.nullable(),
        version: versionSchema.nullable(),
        outcome: outcomeSchema.nullable(),
      },
      event,
    );
    const actions: string[] = [];
    let rolledBack = false;
    let endpointConfigName: string | null = null;

    if (model.endpoint && current) {
      const name = model.endpoint.name;
      let endpoint: EndpointDescription = await endpoints.describeEndpoint(name);
      for (let poll = 0; BUSY.has(endpoint.status) && poll < busyPolls; poll++) {
        await sleep(busyPollMs);
        endpoint = await endpoints.describeEndpoint(name);
      }
      endpointConfigName = current.endpointConfigName;
      if (endpoint.configName === current.endpointConfigName && !BUSY.has(endpoint.status)) {
        actions.push(`endpoint ${name} still serves ${current.endpointConfigName}`);
      } else {
        if (BUSY.has(endpoint.status)) throw new EndpointBusyError(name);
        await endpoints.updateEndpoint(name, current.endpointConfigName);
        rolledBack = true;
        actions.push(
          `endpoint ${name} switched back from ${endpoint.configName ?? 'none'} to ${current.endpointConfigName}`,
        );
      }
    } else if (model.endpoint) {
      actions.push(`endpoint ${model.endpoint.name} untouched (failed before it was described)`);
    }

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
