import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDynamoLockRepository } from '../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoRegistryRepository } from '../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRetrainingRunLog } from '../../functions/adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeDynamoVersionLedger } from '../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import type { LiveEndpointReader } from '../../functions/adapters/live-endpoint.ts';
import type { ModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import { makeS3StoreFor } from '../../functions/adapters/s3/s3-object-store.ts';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import { makeAcquireLockHandler } from '../../functions/retraining/acquire-lock/acquire-lock.ts';
import { makeEvaluateHandler } from '../../functions/retraining/evaluate/evaluate.ts';
import { makeInspectEndpointHandler } from '../../functions/retraining/inspect-endpoint/inspect-endpoint.ts';
import { makeLoadModelHandler } from '../../functions/retraining/load-model/load-model.ts';
import { makePlanPromotionHandler } from '../../functions/retraining/plan-promotion/plan-promotion.ts';
import { makePrepareDataHandler } from '../../functions/retraining/prepare-data/prepare-data.ts';
import { makeRecordOutcomeHandler } from '../../functions/retraining/record-outcome/record-outcome.ts';
import { makeRegisterVersionHandler } from '../../functions/retraining/register-version/register-version.ts';
import { makeReleaseLockHandler } from '../../functions/retraining/release-lock/release-lock.ts';
import { makeRollbackHandler } from '../../functions/retraining/rollback/rollback.ts';
import type { StackIdentity } from '../../functions/shared/model-roles.ts';
import type { RetrainingStep } from '../../functions/shared/retraining-contract.ts';

/** a Lambda handler as the runner invokes it: the event in, the result out (JSON both ways) */
export type LambdaHandler = (event: unknown) => Promise<unknown>;

export interface LocalStepDeps {
  /** an S3 client for the emulator (local/emulators.ts makeS3EmulatorClient) */
  readonly s3: S3Client;
  /** a document client for the emulator */
  readonly documentClient: DynamoDBDocumentClient;
  readonly captureBucket: string;
  /** what load-model reads the models from: the models table, or the synthesized config's models */
  readonly configs: ModelConfigSource;
  /** what load-model names the model's role ARNs from, as the template's environment says */
  readonly stack: StackIdentity;
  /** local table names (the template's StateTable and RegistryTable) */
  readonly tables: { readonly state: string; readonly registry: string };
  /** what inspect-endpoint and plan-promotion read: makeLocalLiveEndpoint(localSageMaker) */
  readonly endpoints: LiveEndpointReader;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** prepare-data's lookback for labelled capture; @default 168 hours */
  readonly captureLookbackHours?: number;
}

/**
 * The real retraining step handlers (functions/retraining/<step>/<step>.ts), built with the local emulators
 * behind their ports: what each Lambda task of the workflow runs locally, exactly as handler.ts wires it in
 * the cloud, only the clients and names differ.
 */
export const makeLocalRetrainingSteps = (deps: LocalStepDeps): Record<RetrainingStep, LambdaHandler> => {
  const { documentClient: ddb, tables, now, logger } = deps;
  const storeFor = makeS3StoreFor(deps.s3);
  const locks = makeDynamoLockRepository(tables.state, ddb);
  const runs = makeDynamoRetrainingRunLog(tables.state, ddb);
  const registry = makeDynamoRegistryRepository(tables.registry, ddb);
  const ledger = makeDynamoVersionLedger(tables.registry, ddb);
  return {
    'load-model': makeLoadModelHandler({
      configs: deps.configs,
      stack: deps.stack,
      captureBucket: deps.captureBucket,
      logger,
    }),
    'acquire-lock': makeAcquireLockHandler({ locks, runs, now, logger }),
    'inspect-endpoint': makeInspectEndpointHandler({ endpoints: deps.endpoints, registry, now, logger }),
    'prepare-data': makePrepareDataHandler({
      storeFor,
      captureBucket: deps.captureBucket,
      registry,
      logger,
      captureLookbackHours: deps.captureLookbackHours,
    }),
    evaluate: makeEvaluateHandler({ storeFor, now, logger }),
    'register-version': makeRegisterVersionHandler({ registry, ledger, now, logger }),
    'plan-promotion': makePlanPromotionHandler({ endpoints: deps.endpoints, logger }),
    'record-outcome': makeRecordOutcomeHandler({ registry, ledger, now, logger }),
    rollback: makeRollbackHandler({ registry, ledger, now, logger }),
    'release-lock': makeReleaseLockHandler({ locks, runs, now, logger }),
  };
};
