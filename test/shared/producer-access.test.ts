import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { producersSchema } from '../../functions/shared/config/producers.ts';
import { authorizeProducer, principalMatches } from '../../functions/shared/producer-access.ts';

const ACCOUNT = '123456789012';
const role = (name: string, path = '') => `arn:aws:iam::${ACCOUNT}:role/${path}${name}`;
const session = (name: string, id = 'sess', account = ACCOUNT, partition = 'aws') =>
  `arn:${partition}:sts::${account}:assumed-role/${name}/${id}`;

// IAM names: letters, digits and +=,.@_- (roles up to 64, sessions 2-64); paths are /-separated segments
const iamName = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/);
const sessionName = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{2,64}$/);
const rolePath = fc
  .array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { maxLength: 3 })
  .map((segments) => segments.map((s) => `${s}/`).join(''));
const account = fc.stringMatching(/^\d{12}$/);

describe('principalMatches', () => {
  test('an assumed-role session is its role, whatever the role path and the session name', () => {
    fc.assert(
      fc.property(account, iamName, rolePath, sessionName, (acct, name, path, id) => {
        expect(principalMatches(session(name, id, acct), `arn:aws:iam::${acct}:role/${path}${name}`)).toBe(
          true,
        );
      }),
    );
  });

  test('a session of another role, account or partition is not the role', () => {
    fc.assert(
      fc.property(
        account,
        account,
        iamName,
        iamName,
        sessionName,
        fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
        (acctA, acctB, nameA, nameB, id, partition) => {
          const configured = `arn:aws:iam::${acctA}:role/${nameA}`;
          const same = acctA === acctB && nameA === nameB && partition === 'aws';
          expect(principalMatches(session(nameB, id, acctB, partition), configured)).toBe(same);
        },
      ),
    );
  });

  test('users and account roots match exactly, never by prefix or by account', () => {
    fc.assert(
      fc.property(account, iamName, iamName, (acct, a, b) => {
        const user = (name: string) => `arn:aws:iam::${acct}:user/${name}`;
        expect(principalMatches(user(a), user(b))).toBe(a === b);
        expect(principalMatches(user(a), `arn:aws:iam::${acct}:root`)).toBe(false);
        expect(principalMatches(`arn:aws:iam::${acct}:root`, `arn:aws:iam::${acct}:root`)).toBe(true);
        // a user of the same name is not the role, nor the role's session
        expect(principalMatches(user(a), role(a))).toBe(false);
      }),
    );
  });

  test.each([
    ['the role itself, for a configured session', role('etl'), session('etl')],
    [
      'a session, for another configured session of the same role',
      session('etl', 'one'),
      session('etl', 'two'),
    ],
    ['a session whose role name only starts with the configured one', session('etl-admin'), role('etl')],
  ])('refuses %s', (_name, caller, configured) => {
    expect(principalMatches(caller, configured)).toBe(false);
  });
});

describe('authorizeProducer', () => {
  const producers = { records: [role('serving')], labels: [role('labelling', 'ml/')] };

  test.each<[string, string | undefined, 'records' | 'labels', boolean]>([
    ['records from a session of the records role', session('serving'), 'records', true],
    ['labels from a session of the labels role under its path', session('labelling'), 'labels', true],
    ['labels from the records producer', session('serving'), 'labels', false],
    ['records from the labels producer', session('labelling'), 'records', false],
    ['records from a stranger', 'arn:aws:iam::123456789012:user/mallory', 'records', false],
    ['labels from nobody in particular (no signed caller)', undefined, 'labels', false],
  ])('%s: allowed %s', (_name, caller, kind, allowed) => {
    expect(authorizeProducer(caller, producers, kind).allowed).toBe(allowed);
  });

  test('a kind without a list admits any caller, an empty list admits none', () => {
    const stranger = 'arn:aws:iam::123456789012:user/mallory';

    expect(authorizeProducer(stranger, undefined, 'labels')).toEqual({ allowed: true });
    expect(authorizeProducer(undefined, { labels: [role('x')] }, 'records')).toEqual({ allowed: true });
    expect(authorizeProducer(stranger, { records: [] }, 'records').allowed).toBe(false);
  });

  test('the refusal names the caller and the kind in one line, never the configured principals', () => {
    const decision = authorizeProducer(session('serving'), producers, 'labels');

    expect(decision).toEqual({
      allowed: false,
      reason: `${session('serving')} is not a producer of labels for this model`,
    });
  });
});

describe('producers in the config', () => {
  test.each([
    ['a wildcard role', 'arn:aws:iam::123456789012:role/*', /has a wildcard: name each principal/],
    ['a wildcard session', 'arn:aws:sts::123456789012:assumed-role/etl/*', /has a wildcard/],
    ['a bare name', 'alice', /is not an IAM principal ARN/],
  ])('rejects %s', (_name, principal, message) => {
    const result = producersSchema.safeParse({ labels: [principal] });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});
