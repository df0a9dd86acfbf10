import { type Command, InvalidArgumentError } from 'commander';
import { type AdminResponse, AdminUsageError, makeAdminClient } from './admin-client.ts';
import { resolveAdminUrl, type TargetFlags } from './admin-target.ts';

/**
 * `model-care alerts ack ID` and `model-care alerts mute MODEL --for 4h --reason ...`: on-call's actions,
 * through the admin API (`--stack` or `--url`), each recorded in the audit trail by the API. A mute longer than
 * the stack allows, an unknown model or alert: exit 2 with the API's one line; nothing is changed.
 */

const UNITS: Record<string, number> = { m: 1, h: 60, d: 1440 };

/** `90m`, `4h`, `2d` as minutes */
export const parseDuration = (value: string): number => {
  const match = /^([1-9]\d{0,5})([mhd])$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`"${value}" is not a duration like 90m, 4h or 2d`);
  return Number(match[1]) * (UNITS[match[2] ?? 'm'] ?? 1);
};

interface Flags extends TargetFlags {
  json?: boolean;
}

const withTarget = (command: Command): Command =>
  command
    .option('--url <url>', "the admin API's Function URL (the local twin's: http://127.0.0.1:<port>)")
    .option('--stack <name>', 'a deployed stack: its AdminApiUrl output')
    .option('--region <region>', 'for --stack, and to sign for a URL that does not name its region')
    .option('--json', 'print the JSON answer');

const answer = (response: AdminResponse, flags: Flags, line: () => string): void => {
  if (response.status >= 200 && response.status < 300) {
    process.stdout.write(`${flags.json ? JSON.stringify(response.body, null, 2) : line()}\n`);
    return;
  }
  const message = typeof response.body.error === 'string' ? response.body.error : `HTTP ${response.status}`;
  if (response.status >= 400 && response.status < 500) throw new AdminUsageError(message);
  throw new Error(`the admin API answered ${response.status}: ${message}`);
};

export const registerAlertsCommand = (program: Command): void => {
  const alerts = program
    .command('alerts')
    .description('acknowledge or mute alerts (recorded in the audit trail)');

  withTarget(alerts.command('ack'))
    .description('acknowledge an alert: the id is in the alert message (<model>/<job>/<window start>)')
    .argument('<id>', 'the alert id')
    .option('--reason <text>', 'a note kept with the acknowledgement')
    .action(async (id: string, flags: Flags & { reason?: string }) => {
      const client = makeAdminClient(await resolveAdminUrl(flags), flags.region ?? process.env.AWS_REGION);
      const response = await client.request('POST', `/alerts/${encodeURIComponent(id)}/ack`, {
        body: JSON.stringify(flags.reason ? { reason: flags.reason } : {}),
      });
      answer(response, flags, () =>
        response.body.already ? `alert ${id} was already acknowledged` : `alert ${id} acknowledged`,
      );
    });

  withTarget(alerts.command('mute'))
    .description("hold back a model's alerts for a while (the router records them as suppressed)")
    .argument('<model>', 'the model')
    .requiredOption('--for <duration>', 'how long: 90m, 4h, 2d (at most onCall.maxMuteHours)', parseDuration)
    .requiredOption('--reason <text>', 'why, for the audit trail')
    .option('--check <kind>', 'mute one check kind only (baseline_drift_check, ...)', '*')
    .action(async (model: string, flags: Flags & { for: number; reason: string; check: string }) => {
      const client = makeAdminClient(await resolveAdminUrl(flags), flags.region ?? process.env.AWS_REGION);
      const response = await client.request('POST', `/models/${encodeURIComponent(model)}/mute`, {
        body: JSON.stringify({ minutes: flags.for, check: flags.check, reason: flags.reason }),
      });
      answer(
        response,
        flags,
        () =>
          `model ${model}: ${flags.check === '*' ? 'every check' : flags.check} muted until ${String(response.body.until)}`,
      );
    });
};
