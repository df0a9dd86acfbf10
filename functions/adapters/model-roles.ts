import type { ModelConfig } from '../shared/config/model-schema.ts';

/**
 * Per-model IAM roles as data (fleet design, section 4): created or brought up to date when a model is put,
 * deleted when it is removed, never through CloudFormation. Both operations are idempotent, so a retried put
 * or removal converges. Implementation: iam/iam-model-roles.ts.
 */
export interface ModelRoleArns {
  readonly accessRoleArn: string;
  /** only for a model with retraining */
  readonly trainingRoleArn?: string;
}

export interface ModelRoles {
  /** the model's roles, as its config says now (a training role only while it retrains) */
  ensure(model: ModelConfig): Promise<ModelRoleArns>;
  /** deletes the model's roles; roles already gone are fine */
  remove(model: string): Promise<void>;
}

/** A role of the model's name exists but is not model-care's role for that model: it is never touched. */
export class ModelRoleConflictError extends Error {
  override readonly name = 'ModelRoleConflictError';
  constructor(
    readonly roleName: string,
    readonly reason: string,
  ) {
    super(`role ${roleName} exists but is not model-care's (${reason}): rename or delete it, then put again`);
  }
}
