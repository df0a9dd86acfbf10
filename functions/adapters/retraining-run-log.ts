/**
 * When a model's retraining runs started and ended: what the cooldown and the daily limit are decided on.
 * Implementation: dynamodb/dynamodb-retraining-run-log.ts (the state table, next to the lock item).
 */

export interface RetrainingRun {
  /** the execution that ran (its lock owner) */
  readonly execution: string;
  readonly startedAt: string;
  /** null while it runs, or when it ended without releasing (timed out) */
  readonly endedAt: string | null;
}

export interface RetrainingRunLog {
  /** the runs still inside the retention the writes gave, oldest first */
  list(model: string): Promise<RetrainingRun[]>;
  /** records the start once per execution: a retried step changes nothing */
  recordStart(model: string, execution: string, at: Date, retentionSeconds: number): Promise<void>;
  /** records the end once per execution (the first end wins); an unknown execution is added as ended */
  recordEnd(model: string, execution: string, at: Date, retentionSeconds: number): Promise<void>;
}
