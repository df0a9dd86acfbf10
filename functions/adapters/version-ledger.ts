import type { ApprovalResponse } from '../shared/retraining-contract.ts';

/**
 * What happened to each registered version beyond the registry's immutable record: how it was trained
 * (image, hyperparameters, data manifest), how it was judged, and its status over time (champion, rejected,
 * rolled back, with who approved). Beside RegistryRepository, whose versions are immutable: the ledger is what
 * changes. Implementation: dynamodb/dynamodb-version-ledger.ts (the registry table, `LEDGER#` items).
 */

export const VERSION_STATUSES = ['registered', 'champion', 'rejected', 'rolled-back'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export interface VersionDetails {
  readonly trainingImage: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly trainingJobArn: string;
  readonly manifestUri: string;
  readonly manifestSha256: string;
  readonly recordCount: number;
  readonly decision: 'promote' | 'needs-approval' | 'reject';
  readonly primaryMetric: string;
  readonly improvement: number | null;
  readonly summary: string;
  /** the champion the version was compared with */
  readonly comparedWith: number | null;
  /** the feature encoder prepare-data fitted (encoder.json beside the artifact) and its sha256; absent before it */
  readonly encoderUri?: string;
  readonly encoderSha256?: string;
}

export interface VersionStatusChange {
  readonly status: VersionStatus;
  readonly at: string;
  readonly executionId: string;
  readonly detail: string | null;
  readonly approval: ApprovalResponse | null;
}

export interface VersionLedgerEntry {
  readonly model: string;
  readonly version: number;
  readonly details: VersionDetails;
  readonly status: VersionStatus;
  /** oldest first */
  readonly history: readonly VersionStatusChange[];
}

export interface VersionLedger {
  /** Writes the version's details with status `registered`; writing them again for the same execution is harmless. */
  record(model: string, version: number, details: VersionDetails, change: VersionStatusChange): Promise<void>;
  /**
   * Moves the version to a status. The same status from the same execution again changes nothing, so a
   * retried step is harmless. Rejects with VersionLedgerMissingError when the version was never recorded.
   */
  setStatus(model: string, version: number, change: VersionStatusChange): Promise<void>;
  get(model: string, version: number): Promise<VersionLedgerEntry | undefined>;
}

export class VersionLedgerMissingError extends Error {
  override readonly name = 'VersionLedgerMissingError';
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`model ${model} version ${version} has no ledger entry`);
  }
}
