import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AuditAction } from '../../../functions/shared/audit/audit-actions.ts';
import {
  type AuditEntry,
  type ChainRecord,
  entryHash,
  GENESIS_HASH,
  verifyChain,
} from '../../../functions/shared/audit/audit-chain.ts';
import { canonicalJson, NotCanonicalJsonError } from '../../../functions/shared/audit/canonical-json.ts';

interface ReferenceEntry extends AuditEntry {
  readonly canonical: string;
}
// computed by test/reference/audit/make_audit_hash_reference.py with Python's json and hashlib
const reference = JSON.parse(readFileSync('test/reference/audit/audit-hash-reference.json', 'utf8')) as {
  genesis: string;
  entries: ReferenceEntry[];
};

/** a chain built with the code under test, linked as the store links it */
const buildChain = (model: string, actions: readonly { at: string; reason: string }[]): AuditEntry[] => {
  const chain: AuditEntry[] = [];
  for (const [i, a] of actions.entries()) {
    const unhashed = {
      model,
      seq: i + 1,
      at: a.at,
      principal: 'arn:aws:iam::123456789012:role/ops',
      action: 'alert.acknowledged' as AuditAction,
      reason: a.reason,
      before: null,
      after: { alertId: `alert-${i}`, check: 'completeness_check' },
      prevHash: chain.at(-1)?.hash ?? GENESIS_HASH,
    };
    chain.push({ ...unhashed, hash: entryHash(unhashed) });
  }
  return chain;
};

const records = (chain: readonly AuditEntry[]): ChainRecord[] =>
  chain.map((entry) => ({ seq: entry.seq, entry }));

const fiveEntries = () =>
  buildChain(
    'm1',
    Array.from({ length: 5 }, (_, i) => ({ at: `2026-11-23T0${i}:00:00.000Z`, reason: `step ${i + 1}` })),
  );

describe('canonicalJson', () => {
  test('writes what Python writes for the reference entries (sorted keys, no whitespace, UTF-8 as is)', () => {
    // Prepare
    for (const {
      canonical,
      hash: _hash,
      model,
      seq,
      at,
      principal,
      action,
      reason,
      before,
      after,
      prevHash,
    } of reference.entries) {
      const hashed = { format: 1, model, seq, at, principal, action, reason, before, after, prevHash };
      // Act / Assess
      expect(canonicalJson(hashed)).toBe(canonical);
    }
  });

  test('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  test.each([
    ['a non-finite number', { a: [1, Number.POSITIVE_INFINITY] }, '$.a[1]'],
    ['undefined', { a: undefined }, '$.a'],
    ['a Date', { when: new Date(0) }, '$.when'],
  ])('rejects %s, naming its path', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(NotCanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(path);
  });
});

describe('entryHash', () => {
  test.each(reference.entries.map((e) => [e.seq, e] as const))(
    'matches the independent reference for entry %i',
    (_seq, { canonical: _c, hash, ...entry }) => {
      expect(entryHash(entry)).toBe(hash);
    },
  );

  test('the reference chain verifies, with its last entry as head', () => {
    const chain = reference.entries.map(({ canonical: _c, ...entry }) => entry);
    expect(reference.genesis).toBe(GENESIS_HASH);
    expect(verifyChain('churn-model', records(chain))).toEqual({
      ok: true,
      model: 'churn-model',
      entries: 3,
      head: { seq: 3, hash: reference.entries[2]!.hash, at: reference.entries[2]!.at },
    });
  });
});

describe('verifyChain', () => {
  test('an empty chain verifies with no head', () => {
    expect(verifyChain('m1', [])).toEqual({ ok: true, model: 'm1', entries: 0, head: null });
  });

  test.each<[string, (chain: AuditEntry[]) => ChainRecord[], { seq: number; reason: RegExp }]>([
    [
      'an edited reason',
      (c) => records(c.map((e) => (e.seq === 3 ? { ...e, reason: 'nothing to see' } : e))),
      { seq: 3, reason: /does not match its hash/ },
    ],
    [
      'an edited after state',
      (c) => records(c.map((e) => (e.seq === 2 ? { ...e, after: { alertId: 'x', check: 'y' } } : e))),
      { seq: 2, reason: /does not match its hash/ },
    ],
    ['a deleted entry', (c) => records(c.filter((e) => e.seq !== 3)), { seq: 3, reason: /missing/ }],
    [
      'two entries swapped (keys kept)',
      (c) => [1, 3, 2, 4, 5].map((n, i) => ({ seq: i + 1, entry: c[n - 1]! })),
      { seq: 2, reason: /says it is entry 3/ },
    ],
    [
      'two entries swapped and renumbered',
      (c) =>
        [1, 3, 2, 4, 5].map((n, i) => {
          const e = c[n - 1]!;
          return { seq: i + 1, entry: { ...e, seq: i + 1 } };
        }),
      { seq: 2, reason: /does not match its hash/ },
    ],
    [
      'two entries swapped, renumbered and rehashed',
      (c) => {
        const swapped = [c[0]!, c[2]!, c[1]!, c[3]!, c[4]!].map((e, i) => ({ ...e, seq: i + 1 }));
        return records(swapped.map((e) => ({ ...e, hash: entryHash(e) })));
      },
      { seq: 2, reason: /does not follow entry 1/ },
    ],
    [
      'an entry inserted in the middle, later ones moved up a position',
      (c) => {
        const forged = { ...c[1]!, reason: 'forged', prevHash: c[1]!.hash, seq: 3 };
        const inserted = { ...forged, hash: entryHash(forged) };
        return [
          ...records(c.slice(0, 2)),
          { seq: 3, entry: inserted },
          ...c.slice(2).map((e) => ({ seq: e.seq + 1, entry: e })),
        ];
      },
      { seq: 4, reason: /says it is entry 3/ },
    ],
    [
      'an entry appended with a forged link',
      (c) => {
        const forged = { ...c[4]!, seq: 6, reason: 'forged', prevHash: c[2]!.hash };
        return records([...c, { ...forged, hash: entryHash(forged) }]);
      },
      { seq: 6, reason: /does not follow entry 5/ },
    ],
    [
      'a first entry that does not start from genesis',
      (c) => {
        const first = { ...c[0]!, prevHash: 'f'.repeat(64) };
        return records([{ ...first, hash: entryHash(first) }, ...c.slice(1)]);
      },
      { seq: 1, reason: /genesis/ },
    ],
    [
      'an entry copied from another model',
      (c) => {
        const other = buildChain('m2', [{ at: '2026-11-23T00:00:00.000Z', reason: 'step 1' }])[0]!;
        return records([other, ...c.slice(1)]);
      },
      { seq: 1, reason: /belongs to model "m2"/ },
    ],
    [
      'an unreadable item',
      (c) => [...records(c.slice(0, 3)), { seq: 4, problem: 'hash: Required' }, ...records(c.slice(4))],
      { seq: 4, reason: /unreadable: hash/ },
    ],
    [
      'an item under a foreign key',
      (c) => [...records(c), { seq: Number.NaN, problem: 'x' }],
      { seq: 6, reason: /no audit position/ },
    ],
    [
      'time running backwards in a rehashed chain',
      (c) => {
        const early = { ...c[3]!, at: '2026-11-22T00:00:00.000Z' };
        const rehashed = { ...early, hash: entryHash(early) };
        const next = { ...c[4]!, prevHash: rehashed.hash };
        return records([...c.slice(0, 3), rehashed, { ...next, hash: entryHash(next) }]);
      },
      { seq: 4, reason: /time runs backwards/ },
    ],
  ])('fails on %s, naming the first bad entry', (_what, tamper, expected) => {
    // Prepare
    const chain = fiveEntries();
    expect(verifyChain('m1', records(chain)).ok).toBe(true);
    // Act
    const verdict = verifyChain('m1', tamper(chain));
    // Assess
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.firstBad.seq).toBe(expected.seq);
    expect(verdict.firstBad.reason).toMatch(expected.reason);
    expect(verdict.verifiedHead?.seq ?? 0).toBe(expected.seq - 1);
  });

  test('fails when a chain rewritten from an entry on no longer holds a recorded anchor', () => {
    // Prepare: entry 3 onwards rewritten, every hash recomputed: consistent, so only the anchor can tell
    const chain = fiveEntries();
    const anchor = { seq: 4, hash: chain[3]!.hash };
    const rewritten = buildChain(
      'm1',
      chain.map((e) => ({ at: e.at, reason: e.seq >= 3 ? `rewritten ${e.seq}` : e.reason })),
    );
    // Act / Assess
    expect(verifyChain('m1', records(rewritten)).ok).toBe(true);
    expect(verifyChain('m1', records(chain), anchor).ok).toBe(true);
    expect(verifyChain('m1', records(rewritten), anchor)).toMatchObject({
      ok: false,
      firstBad: { seq: 4, reason: expect.stringMatching(/rewritten/) },
    });
    expect(verifyChain('m1', records(chain.slice(0, 3)), anchor)).toMatchObject({
      ok: false,
      firstBad: { seq: 4, reason: expect.stringMatching(/removed/) },
    });
  });

  test('any single-field edit of any entry is found at that entry', () => {
    const chain = fiveEntries();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('principal', 'reason', 'at', 'action', 'prevHash', 'hash'),
        fc.string({ minLength: 1 }),
        (index, field, value) => {
          const original = chain[index]!;
          fc.pre(String(original[field as keyof AuditEntry]) !== value);
          const tampered = chain.map((e, i) => (i === index ? { ...e, [field]: value } : e));
          const verdict = verifyChain('m1', records(tampered));
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) expect(verdict.firstBad.seq).toBe(original.seq);
        },
      ),
    );
  });
});
