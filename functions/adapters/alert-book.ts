import type { Severity } from '../shared/config/vocabulary.ts';

/**
 * What on-call did about alerts: every alert the router handled (sent, or suppressed by a mute: recorded, not
 * lost), acknowledgements, and mutes per model and check. Implementation: dynamodb/dynamodb-alert-book.ts.
 */

/** every check of the model */
export const ALL_CHECKS = '*';

export interface AlertRecord {
  /** the run id, `<model>/<job>/<window start>` */
  readonly alertId: string;
  readonly model: string;
  readonly job: 'data' | 'quality';
  readonly severity: Severity;
  readonly checks: readonly string[];
  /** when the router handled it, ISO-8601 */
  readonly at: string;
  /** sent to people, or held back by a mute */
  readonly status: 'sent' | 'suppressed';
  /** for a suppressed alert: the reasons of the mutes that held it */
  readonly mutedBy?: readonly string[];
  readonly acknowledged?: { readonly by: string; readonly at: string; readonly reason?: string };
}

export interface Mute {
  readonly model: string;
  /** a check kind, or ALL_CHECKS */
  readonly check: string;
  /** ISO-8601 */
  readonly until: string;
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export interface AlertBook {
  /** Records an alert the router handled; a retry of the same run overwrites it (same id, same content). */
  recordAlert(record: AlertRecord): Promise<void>;
  getAlert(alertId: string): Promise<AlertRecord | undefined>;
  /**
   * Marks the alert acknowledged, once: a second acknowledgement keeps the first (`already`). AlertNotFoundError
   * for an id the router never recorded, with nothing written.
   */
  acknowledge(
    alertId: string,
    ack: { readonly by: string; readonly at: Date; readonly reason?: string },
  ): Promise<{ readonly record: AlertRecord; readonly already: boolean }>;
  /** Sets (or replaces) the mute of a model's check; returns the end of the mute it replaced, if one was running. */
  setMute(mute: Mute, now: Date): Promise<{ readonly previousUntil: string | null }>;
  /** The model's mutes still running at `now`. */
  activeMutes(model: string, now: Date): Promise<Mute[]>;
  /** The model's alerts held back by a mute, newest first (at most `limit`). */
  suppressed(model: string, limit?: number): Promise<AlertRecord[]>;
}

export class AlertNotFoundError extends Error {
  override readonly name = 'AlertNotFoundError';
  constructor(readonly alertId: string) {
    super(`no alert ${JSON.stringify(alertId)}: check the id in the alert message (model/job/window start)`);
  }
}
