import { createHash } from 'node:crypto';
import type { AuditAction } from './audit-actions.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

/**
 * The audit trail's tamper evidence: each model's entries form a hash chain. Entry n carries `prevHash`, the hash
 * of entry n - 1 (GENESIS_HASH for the first), and its own `hash`:
 *
 *   hash = hex(SHA-256(canonicalJson({ format, model, seq, at, principal, action, reason, before, after, prevHash })))
 *
 * with canonicalJson RFC 8785 (sorted keys, no whitespace). Editing an entry changes its hash; deleting, inserting
 * or reordering entries breaks a `prevHash` link or the sequence. A chain rewritten from some entry on, hashes
 * recomputed, is consistent again: only a head recorded elsewhere (`verifyChain`'s `anchor`) detects that.
 */

/** the version of the hash recipe above; stored with each entry */
export const AUDIT_HASH_FORMAT = 1;

/** prevHash of a model's first entry */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry of a model's audit trail: who did what, when, why, and the state before and after. */
export interface AuditEntry {
  readonly model: string;
  /** position in the model's chain, from 1, without gaps */
  readonly seq: number;
  /** ISO-8601 with milliseconds; never earlier than the previous entry's */
  readonly at: string;
  /** who: an IAM principal ARN, `cloudformation:<stack>`, `model-care:<function>` */
  readonly principal: string;
  readonly action: AuditAction;
  /** why, in words */
  readonly reason: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly prevHash: string;
  readonly hash: string;
}

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

/** The hash of an entry, by the recipe above. */
export const entryHash = (entry: UnhashedEntry): string =>
  createHash('sha256')
    .update(
      canonicalJson({
        format: AUDIT_HASH_FORMAT,
        model: entry.model,
        seq: entry.seq,
        at: entry.at,
        principal: entry.principal,
        action: entry.action,
        reason: entry.reason,
        before: entry.before,
        after: entry.after,
        prevHash: entry.prevHash,
      }),
      'utf8',
    )
    .digest('hex');

/**
 * What a store read for one position of the chain: the entry, or why the item could not be read as one (a
 * missing attribute, an unknown action). `seq` is the position the store's key says.
 */
export type ChainRecord =
  | { readonly seq: number; readonly entry: AuditEntry }
  | { readonly seq: number; readonly problem: string };

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

export interface BrokenLink {
  /** the first position that does not verify */
  readonly seq: number;
  readonly at?: string;
  readonly action?: string;
  readonly reason: string;
}

export type ChainVerdict =
  | { readonly ok: true; readonly model: string; readonly entries: number; readonly head: ChainHead | null }
  | {
      readonly ok: false;
      readonly model: string;
      readonly entries: number;
      readonly firstBad: BrokenLink;
      /** the entries before `firstBad` verified; their head */
      readonly verifiedHead: ChainHead | null;
    };

/** a head recorded earlier (printed by `model-care audit verify`): the chain must still hold it, unchanged */
export interface ChainAnchor {
  readonly seq: number;
  readonly hash: string;
}

const headOf = (entry: AuditEntry | undefined): ChainHead | null =>
  entry ? { seq: entry.seq, hash: entry.hash, at: entry.at } : null;

/**
 * Checks a model's chain, records in store order (by `seq`). Names the first position that does not verify:
 * an unreadable item, an item stored under another position or model, a missing position (a deletion), content
 * that does not match its hash (an edit), a `prevHash` that is not the previous entry's hash (an insertion,
 * a reordering, a replaced predecessor), time running backwards, or an anchor the chain no longer holds.
 * Pure: the caller reads the records.
 */
export const verifyChain = (
  model: string,
  records: readonly ChainRecord[],
  anchor?: ChainAnchor,
): ChainVerdict => {
  let previous: AuditEntry | undefined;
  const broken = (link: BrokenLink): ChainVerdict => ({
    ok: false,
    model,
    entries: records.length,
    firstBad: link,
    verifiedHead: headOf(previous),
  });
  for (const [index, record] of records.entries()) {
    const expected = index + 1;
    if (!Number.isSafeInteger(record.seq)) {
      return broken({ seq: expected, reason: 'an item under a key that is no audit position' });
    }
    if (record.seq !== expected) {
      return broken(
        record.seq > expected
          ? { seq: expected, reason: `missing: the chain jumps from entry ${expected - 1} to ${record.seq}` }
          : { seq: record.seq, reason: `position ${record.seq} appears twice or out of order` },
      );
    }
    if ('problem' in record) return broken({ seq: expected, reason: `unreadable: ${record.problem}` });
    const entry = record.entry;
    const where = { seq: expected, at: entry.at, action: entry.action };
    if (entry.model !== model) {
      return broken({ ...where, reason: `belongs to model ${JSON.stringify(entry.model)}` });
    }
    if (entry.seq !== expected) {
      return broken({ ...where, reason: `says it is entry ${entry.seq}, stored as entry ${expected}` });
    }
    if (entryHash(entry) !== entry.hash) {
      return broken({ ...where, reason: 'content does not match its hash (edited)' });
    }
    const prevHash = previous?.hash ?? GENESIS_HASH;
    if (entry.prevHash !== prevHash) {
      return broken({
        ...where,
        reason:
          expected === 1
            ? 'the first entry does not start the chain (prevHash is not the genesis hash)'
            : `does not follow entry ${expected - 1} (prevHash is not its hash): inserted, reordered, or entry ${expected - 1} was replaced`,
      });
    }
    if (previous && entry.at < previous.at) {
      return broken({ ...where, reason: `time runs backwards (${entry.at} after ${previous.at})` });
    }
    previous = entry;
  }
  if (anchor) {
    const held = records[anchor.seq - 1];
    if (!held || !('entry' in held) || held.entry.hash !== anchor.hash) {
      return {
        ok: false,
        model,
        entries: records.length,
        firstBad: {
          seq: anchor.seq,
          reason: held
            ? `the anchor's hash ${anchor.hash.slice(0, 12)}... is no longer entry ${anchor.seq}'s: the chain was rewritten`
            : `the chain ends at entry ${records.length}, before the anchor: entries were removed`,
        },
        verifiedHead: headOf(previous),
      };
    }
  }
  return { ok: true, model, entries: records.length, head: headOf(previous) };
};
