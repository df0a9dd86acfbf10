import type { AuditAction, AuditAfter, AuditBefore } from '../shared/audit/audit-actions.ts';
import type { AuditEntry, ChainRecord } from '../shared/audit/audit-chain.ts';

/** One action to record; the log adds the position, the time and the hashes. */
export type AuditInput = {
  [A in AuditAction]: {
    readonly model: string;
    readonly action: A;
    /** who did it: an IAM principal ARN, `cloudformation:<stack>`, `model-care:<function>` */
    readonly principal: string;
    /** why, in words a person reads later */
    readonly reason: string;
    readonly before: AuditBefore<A>;
    readonly after: AuditAfter<A>;
  };
}[AuditAction];

/**
 * The append-only audit trail of every action on a model (functions/shared/audit/). There is no update and no
 * delete: a correction is a new entry. Implementation: dynamodb/dynamodb-audit-log.ts.
 */
export interface AuditLog {
  /**
   * Appends an entry at the end of the model's chain and returns it. Refuses (InvalidRecordError) an input whose
   * before/after does not match its action, before writing anything. Concurrent appends each get their own
   * position; AuditConflictError when the position kept being taken.
   */
  append(input: AuditInput, now?: Date): Promise<AuditEntry>;
  /** The model's entries from `since` on (all by default), oldest first; unreadable items as problems. */
  list(model: string, options?: { readonly since?: Date }): Promise<ChainRecord[]>;
  /** Every position of the model's chain, in order, for verifyChain. */
  readChain(model: string): Promise<ChainRecord[]>;
}

/** Other writers kept taking the next position of the chain. */
export class AuditConflictError extends Error {
  override readonly name = 'AuditConflictError';
  constructor(
    readonly model: string,
    readonly attempts: number,
  ) {
    super(`audit entry for model ${model} not appended: the next position was taken ${attempts} times`);
  }
}
