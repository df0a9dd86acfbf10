import * as z from 'zod';
import { StaleChampionError } from '../../adapters/errors.ts';
import type { RegistryRepository } from '../../adapters/registry-repository.ts';
import type { VersionLedger } from '../../adapters/version-ledger.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { RecordOutcomeResult } from '../../shared/retraining-contract.ts';
import {
  approvalSchema,
  deploymentSchema,
  evaluationSchema,
  executionRefSchema,
  parseStepInput,
  versionSchema,
} from '../shared/step-input.ts';

export interface RecordOutcomeDeps {
  readonly registry: RegistryRepository;
  readonly ledger: VersionLedger;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

const MAX_ATTEMPTS = 3;

/**
 * promoted: the version becomes the registry's champion (conditional on the champion read just before, so a
 * concurrent change is detected, not overwritten) and its ledger status `champion`, with the approval and the
 * endpoint it now serves on; rejected: its ledger status becomes `rejected`, with why (the evaluation, the
 * approver's no, or an approval that timed out). Setting the same state again is harmless, so a retry is.
 */
export const makeRecordOutcomeHandler = (deps: RecordOutcomeDeps) => {
  const { registry, ledger, logger } = deps;
  return async (event: unknown): Promise<RecordOutcomeResult> => {
    const { model, execution, outcome, version, evaluation, approval, deployment } = parseStepInput(
      'record-outcome',
      {
        execution: executionRefSchema,
        outcome: z.enum(['promoted', 'rejected']),
        version: versionSchema,
        evaluation: evaluationSchema,
        approval: approvalSchema,
        deployment: deploymentSchema.nullable(),
      },
      event,
    );
    const now = deps.now();
    const at = now.toISOString();
    const context = { model: model.name, version: version.version, execution: execution.name };

    if (outcome === 'rejected') {
      const why = !approval.requested
        ? evaluation.summary
        : approval.response
          ? `rejected by ${approval.response.approver ?? 'the approver'}${approval.response.comment ? `: ${approval.response.comment}` : ''}`
          : 'nobody answered the approval request in time';
      await ledger.setStatus(model.name, version.version, {
        status: 'rejected',
        at,
        executionId: execution.id,
        detail: why,
        approval: approval.response,
      });
      const champion = await registry.getChampion(model.name);
      logger.info('challenger rejected', { ...context, why });
      return { version: version.version, status: 'rejected', championVersion: champion?.version ?? null };
    }

    for (let attempt = 1; ; attempt++) {
      const current = await registry.getChampion(model.name);
      try {
        await registry.setChampion(model.name, version.version, current?.version ?? null, now);
        break;
      } catch (error) {
        if (!(error instanceof StaleChampionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
    const where = deployment
      ? `endpoint ${model.endpoint?.name ?? '?'} serves ${deployment.endpointConfigName} (${deployment.endpointStatus})`
      : 'registry champion (no endpoint)';
    await ledger.setStatus(model.name, version.version, {
      status: 'champion',
      at,
      executionId: execution.id,
      detail: where,
      approval: approval.response,
    });
    logger.info('challenger promoted', { ...context, where });
    return { version: version.version, status: 'champion', championVersion: version.version };
  };
};
