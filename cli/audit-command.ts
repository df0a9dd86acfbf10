import { type Command, InvalidArgumentError } from 'commander';
import type { ChainAnchor, ChainRecord, ChainVerdict } from '../functions/shared/audit/audit-chain.ts';
import { verifyChain } from '../functions/shared/audit/audit-chain.ts';
import { canonicalJson } from '../functions/shared/audit/canonical-json.ts';
import { type AuditTargetFlags, addAuditTargetOptions, openAuditLog } from './audit-target.ts';
import { withAwsErrors } from './aws-options.ts';
import { parseSince } from './since.ts';

/** exit code of `audit verify` for a broken chain: the trail itself is bad input now */
export const EXIT_BROKEN_CHAIN = 2;

interface ListFlags extends AuditTargetFlags {
  model: string;
  since?: Date;
  json?: boolean;
}

interface VerifyFlags extends AuditTargetFlags {
  model: string;
  anchor?: ChainAnchor;
  json?: boolean;
}

const MAX_STATE_CHARS = 240;

/** principals and reasons are other people's text: no terminal control sequences reach the screen */
const printable = (text: string): string => text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '?');

const shortJson = (value: unknown): string => {
  const text = canonicalJson(value);
  return printable(text.length > MAX_STATE_CHARS ? `${text.slice(0, MAX_STATE_CHARS - 3)}...` : text);
};

const parseAnchor = (text: string): ChainAnchor => {
  const match = /^(\d{1,12}):([0-9a-f]{64})$/.exec(text.trim());
  if (!match || Number(match[1]) < 1)
    throw new InvalidArgumentError(`"${text}" is not SEQ:HASH (as audit verify prints it)`);
  return { seq: Number(match[1]), hash: match[2]! };
};

const renderList = (model: string, records: readonly ChainRecord[]): string => {
  if (records.length === 0) return `no audit entries for model ${model}`;
  const lines: string[] = [];
  for (const record of records) {
    if (!('entry' in record)) {
      lines.push(
        `#${Number.isNaN(record.seq) ? '?' : record.seq}  (unreadable: ${printable(record.problem)})`,
      );
      continue;
    }
    const e = record.entry;
    lines.push(`#${e.seq}  ${e.at}  ${e.action}  by ${printable(e.principal)}`);
    lines.push(`    why:    ${printable(e.reason)}`);
    lines.push(`    before: ${shortJson(e.before)}`);
    lines.push(`    after:  ${shortJson(e.after)}`);
  }
  return lines.join('\n');
};

const jsonRecords = (records: readonly ChainRecord[]): unknown[] =>
  records.map((r) =>
    'entry' in r ? r.entry : { seq: Number.isNaN(r.seq) ? null : r.seq, problem: r.problem },
  );

/** the one line a broken chain gets */
export const brokenChainLine = (verdict: Extract<ChainVerdict, { ok: false }>): string => {
  const bad = verdict.firstBad;
  const what = [bad.at, bad.action].filter(Boolean).join(' ');
  const verified = verdict.verifiedHead
    ? `entries 1-${verdict.verifiedHead.seq} verify`
    : 'no entry verifies';
  return (
    `audit chain of model ${verdict.model} is broken at entry ${bad.seq}${what ? ` (${printable(what)})` : ''}: ` +
    `${printable(bad.reason)}; ${verified}`
  );
};

export const registerAuditCommand = (program: Command): void => {
  const audit = program
    .command('audit')
    .description("a model's audit trail: who did what, when and why, hash-chained (docs/audit.md)");

  const list = audit
    .command('list', { isDefault: true })
    .description('list the audit entries of a model, oldest first (the default of `model-care audit`)')
    .requiredOption('--model <name>', 'the model')
    .option('--since <when>', 'only entries from then on: 30m, 12h, 7d, 2w or an ISO-8601 instant', (t) =>
      parseSince(t),
    )
    .option('--json', 'print the entries as JSON, hashes included');
  addAuditTargetOptions(list).action(async (flags: ListFlags, command: Command) => {
    const { audit: log, target, close } = await openAuditLog(command, flags);
    try {
      const records = await withAwsErrors(target, () =>
        log.list(flags.model, flags.since ? { since: flags.since } : {}),
      );
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(jsonRecords(records), null, 2)}\n`
          : `${renderList(flags.model, records)}\n`,
      );
    } finally {
      close();
    }
  });

  const verify = audit
    .command('verify')
    .description(`check a model's hash chain; exit ${EXIT_BROKEN_CHAIN} naming the first bad entry`)
    .requiredOption('--model <name>', 'the model')
    .option(
      '--anchor <seq:hash>',
      'a head printed by an earlier verify: fail if the chain no longer holds it',
      parseAnchor,
    )
    .option('--json', 'print the verdict as JSON');
  addAuditTargetOptions(verify).action(async (flags: VerifyFlags, command: Command) => {
    const { audit: log, target, close } = await openAuditLog(command, flags);
    try {
      const records = await withAwsErrors(target, () => log.readChain(flags.model));
      const verdict = verifyChain(flags.model, records, flags.anchor);
      if (flags.json) process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`);
      if (!verdict.ok) {
        process.stderr.write(`model-care: ${brokenChainLine(verdict)}\n`);
        process.exitCode = EXIT_BROKEN_CHAIN;
        return;
      }
      if (flags.json) return;
      const head = verdict.head;
      process.stdout.write(
        head
          ? `audit chain of model ${flags.model}: ${verdict.entries} entries verify; head entry ${head.seq} at ${head.at}\n` +
              `record the head to detect a later rewrite: --anchor ${head.seq}:${head.hash}\n`
          : `audit chain of model ${flags.model}: no entries\n`,
      );
    } finally {
      close();
    }
  });
};
