import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Notification, Notifier } from '../../functions/adapters/notifier.ts';

export interface DeliveredNotification extends Notification {
  readonly messageId: string;
  readonly at: string;
}

/**
 * SNS, locally: each alert is appended to a JSON Lines file (what email and SMS recipients would get, both
 * forms) and handed to `onAlert` for the console timeline. Nothing leaves the machine.
 */
export class LocalNotifier implements Notifier {
  readonly delivered: DeliveredNotification[] = [];
  private sequence = 0;

  constructor(
    private readonly file: string,
    private readonly now: () => Date,
    private readonly onAlert: (notification: DeliveredNotification) => void = () => {},
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  async notify(notification: Notification): Promise<{ messageId: string }> {
    this.sequence += 1;
    const delivered = { ...notification, messageId: `local-${this.sequence}`, at: this.now().toISOString() };
    this.delivered.push(delivered);
    appendFileSync(this.file, `${JSON.stringify(delivered)}\n`);
    this.onAlert(delivered);
    return { messageId: delivered.messageId };
  }
}
