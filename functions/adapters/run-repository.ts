/** Monitoring runs, one record per model, job and window. Implementation: dynamodb/dynamodb-run-repository.ts. */

export const RUN_JOBS = ['data', 'quality', 'baseline'] as const;
export type RunJob = (typeof RUN_JOBS)[number];

export const RUN_STATUSES = ['ok', 'violations', 'no-data', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRecord {
  readonly model: string;
  readonly job: RunJob;
  /** ISO-8601, whole seconds; stored and returned as `YYYY-MM-DDTHH:MM:SSZ` */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly status: RunStatus;
  readonly rowCount: number;
  readonly malformedCount: number;
  /** capture objects moved to quarantine/ during this run */
  readonly quarantinedObjects: number;
  readonly violationCount: number;
  /** the run's report prefix or file in the data bucket */
  readonly reportKey?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** small, JSON-serialisable (at most 64 KB); stored verbatim */
  readonly summary: Readonly<Record<string, unknown>>;
}

export interface RunRepository {
  /** Writes the run; the same model, job and window start replace the earlier record (re-runs are idempotent). */
  putRun(run: RunRecord): Promise<void>;
  getRun(model: string, job: RunJob, windowStart: string | Date): Promise<RunRecord | undefined>;
  /** Runs whose window starts in [from, to), oldest first. */
  listRuns(model: string, job: RunJob, from: string | Date, to: string | Date): Promise<RunRecord[]>;
}
