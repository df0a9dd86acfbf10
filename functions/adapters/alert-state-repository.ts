import type { Severity } from '../shared/config/vocabulary.ts';

/** Dedupe and cooldown of alert notifications per model and check. Implementation: dynamodb/. */
export interface AlertStateRepository {
  /**
   * Claims the right to notify, atomically: true for exactly one caller when the check has not notified yet,
   * its cooldown has passed, or `severity` is higher than the one notified last (which then restarts the
   * cooldown at the higher severity). False means a notification for it was already sent: stay quiet.
   */
  shouldNotify(
    model: string,
    check: string,
    severity: Severity,
    now: Date,
    cooldownSeconds: number,
  ): Promise<boolean>;
  /**
   * Forgets the check's notification: call it when the check recovers, so the next violation notifies at once,
   * or when sending failed after a successful claim, so a retry can claim again.
   */
  clear(model: string, check: string): Promise<void>;
}
