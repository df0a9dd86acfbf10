import type { ChainVerdict } from '../shared/audit/audit-chain.ts';
import { asciiLine, SMS_MAX } from './text-safety.ts';

/** the alert a broken chain raises, as the router sends the others: e-mail subject and text, one SMS line */
export interface BrokenChainAlert {
  readonly subject: string;
  readonly text: string;
  readonly sms: string;
}

/**
 * A broken audit chain is itself an alert (critical: the record of who did what can no longer be trusted).
 * Returns undefined for a chain that verifies. `runbook` is the URL of docs/audit.md as served.
 */
export const brokenChainAlert = (verdict: ChainVerdict, runbook: string): BrokenChainAlert | undefined => {
  if (verdict.ok) return undefined;
  const model = asciiLine(verdict.model);
  const bad = verdict.firstBad;
  const where = `entry ${bad.seq}${bad.at ? ` (${bad.at}${bad.action ? `, ${bad.action}` : ''})` : ''}`;
  const verified = verdict.verifiedHead
    ? `Entries 1 to ${verdict.verifiedHead.seq} verify; the last of them has hash ${verdict.verifiedHead.hash}.`
    : 'No entry verifies.';
  const text = [
    `model-care CRITICAL alert: the audit trail of model ${JSON.stringify(verdict.model)} does not verify.`,
    '',
    `First bad entry: ${where}: ${bad.reason}.`,
    verified,
    '',
    'What to do:',
    `  confirm: model-care audit verify --model '${verdict.model.replace(/'/g, `'\\''`)}' --stack <stack>`,
    '  find who wrote to the audit table outside model-care (CloudTrail data events for the table), restore',
    '  the table from its point-in-time recovery to before that write, and verify again.',
    `  runbook: ${runbook}`,
  ].join('\n');
  const sms = `CRITICAL audit chain of ${model.slice(0, 40)} broken at entry ${bad.seq}`.slice(0, SMS_MAX);
  return { subject: `[CRITICAL] ${model}: audit trail broken at entry ${bad.seq}`, text, sms };
};
