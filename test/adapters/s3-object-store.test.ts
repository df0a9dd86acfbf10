import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import {
  InvalidKeyPartError,
  InvalidObjectError,
  ObjectNotFoundError,
} from '../../functions/adapters/errors.ts';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { captureObjectKey, captureVariantPrefix, quarantineKey } from '../../functions/adapters/s3-layout.ts';
import { useS3rver } from '../support/s3rver.ts';

const BUCKET = 'model-care-data';
const s3rver = useS3rver([BUCKET]);
const store = (options = {}) => makeS3ObjectStore(BUCKET, s3rver.current.client, options);
/** each test writes under its own prefix so tests do not see each other's objects */
const scope = () => `t-${randomUUID().slice(0, 8)}/`;

const collect = async (stream: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
};

const MiB = 1024 * 1024;

describe('put and get', () => {
  test('round-trips text, JSON and bytes with their content type', async () => {
    const s = store();
    const p = scope();
    await s.put(`${p}a.txt`, 'héllo\nwörld', 'text/plain');
    await s.put(`${p}b.json`, JSON.stringify({ violations: [{ feature_name: 'x' }] }), 'application/json');
    const gz = gzipSync('{"a":1}\n');
    await s.put(`${p}c.jsonl.gz`, gz, 'application/gzip', { source: 'test' });

    expect(await s.getText(`${p}a.txt`)).toBe('héllo\nwörld');
    expect(await s.getJson(`${p}b.json`)).toEqual({ violations: [{ feature_name: 'x' }] });
    // bytes come back untouched: gzip is left for the reader to sniff
    const raw = await collect(await s.getStream(`${p}c.jsonl.gz`));
    expect(gunzipSync(raw).toString()).toBe('{"a":1}\n');
    const head = await s3rver.current.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: `${p}c.jsonl.gz` }),
    );
    expect(head.ContentType).toBe('application/gzip');
    expect(head.Metadata).toEqual({ source: 'test' });
  });

  test('uploads a large buffer in parts and the bytes survive exactly', async () => {
    const s = store({ multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    const key = `${scope()}big.bin`;
    const body = Buffer.alloc(11 * MiB + 123);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    await s.put(key, body, 'application/octet-stream');
    const back = await collect(await s.getStream(key));
    expect(back.length).toBe(body.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(body).digest('hex'),
    );
  });

  test('uploads a stream without aws-chunked framing leaking into the object', async () => {
    const s = store({ partSizeBytes: 5 * MiB });
    const key = `${scope()}stream.jsonl`;
    const lines = Array.from({ length: 2000 }, (_, i) => `{"i":${i}}\n`);
    await s.put(key, Readable.from(lines.map((l) => Buffer.from(l))), 'application/jsonl');
    expect(await s.getText(key)).toBe(lines.join(''));

    const gen = async function* () {
      yield new TextEncoder().encode('one\n');
      yield new TextEncoder().encode('two\n');
    };
    await s.put(`${key}.2`, gen(), 'text/plain');
    expect(await s.getText(`${key}.2`)).toBe('one\ntwo\n');
  });

  test('rejects a missing key with ObjectNotFoundError from every reader', async () => {
    const s = store();
    const key = `${scope()}absent.json`;
    await expect(s.getStream(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(s.getText(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(s.getJson(key)).rejects.toMatchObject({ name: 'ObjectNotFoundError', key });
  });

  test('rejects non-JSON content from getJson with InvalidObjectError naming the key', async () => {
    const s = store();
    const key = `${scope()}bad.json`;
    await s.put(key, '{"truncated":', 'application/json');
    await expect(s.getJson(key)).rejects.toThrow(InvalidObjectError);
    await expect(s.getJson(key)).rejects.toThrow(key);
  });

  test('exists tells present from absent', async () => {
    const s = store();
    const p = scope();
    await s.put(`${p}here`, 'x', 'text/plain');
    expect(await s.exists(`${p}here`)).toBe(true);
    expect(await s.exists(`${p}there`)).toBe(false);
  });

  test('delete removes an object, and deleting an absent key is no error', async () => {
    const s = store();
    const p = scope();
    await s.put(`${p}here`, 'x', 'text/plain');
    await s.delete(`${p}here`);
    expect(await s.exists(`${p}here`)).toBe(false);
    await expect(s.delete(`${p}here`)).resolves.toBeUndefined();
  });
});

describe('list', () => {
  test('pages through every object under the prefix and no others', async () => {
    const s = store({ listPageSize: 2 });
    const p = scope();
    const keys = ['a', 'b', 'c/d', 'c/e', 'f'].map((k) => `${p}dir/${k}`);
    for (const key of keys) await s.put(key, key, 'text/plain');
    await s.put(`${p}dirx/not-me`, 'x', 'text/plain');

    const listed = [];
    for await (const info of s.list(`${p}dir/`)) listed.push(info);
    expect(listed.map((i) => i.key)).toEqual(keys);
    expect(listed[2]).toMatchObject({ key: `${p}dir/c/d`, size: Buffer.byteLength(`${p}dir/c/d`) });
    expect(listed[0]?.lastModified).toBeInstanceOf(Date);
  });
});

describe('listHourWindow', () => {
  test('lists the capture hours overlapping [start, end) in hour then key order', async () => {
    const s = store({ listPageSize: 3, listConcurrency: 2 });
    const endpoint = `ep-${randomUUID().slice(0, 8)}`;
    const at = (iso: string) => new Date(iso);
    const written = [
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T07:59:59.999Z'), randomUUID()), // before
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T08:30:00.000Z'), randomUUID()),
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T08:05:00.000Z'), randomUUID()),
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T09:10:00.000Z'), randomUUID()),
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T08:05:00.000Z'), randomUUID()),
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T09:59:00.000Z'), randomUUID()),
      captureObjectKey(endpoint, 'AllTraffic', at('2026-11-23T10:00:00.000Z'), randomUUID()), // end is exclusive
      captureObjectKey(endpoint, 'Shadow', at('2026-11-23T08:30:00.000Z'), randomUUID()), // other variant
    ];
    // written out of order: the listing order must not depend on write order
    for (const key of [...written].reverse()) await s.put(key, '{}\n', 'application/jsonl');

    const start = at('2026-11-23T08:00:00Z');
    const end = at('2026-11-23T10:00:00Z');
    const listed = await s.listHourWindow(captureVariantPrefix(endpoint, 'AllTraffic'), start, end);
    const hour8 = written
      .slice(1, 3)
      .concat(written[4] as string)
      .sort();
    const hour9 = [written[3], written[5]].sort();
    expect(listed.map((o) => o.key)).toEqual([...hour8, ...hour9]);
    // the same call again gives the same order
    const again = await s.listHourWindow(
      captureVariantPrefix(endpoint, 'AllTraffic').slice(0, -1),
      start,
      end,
    );
    expect(again.map((o) => o.key)).toEqual(listed.map((o) => o.key));
  });

  test('returns nothing for hours without objects', async () => {
    const s = store();
    const listed = await s.listHourWindow(
      captureVariantPrefix('nobody', 'AllTraffic'),
      new Date('2020-01-01T00:00:00Z'),
      new Date('2020-01-01T05:00:00Z'),
    );
    expect(listed).toEqual([]);
  });

  test('rejects an inverted window', async () => {
    const s = store();
    const t = new Date('2026-01-01T00:00:00Z');
    await expect(s.listHourWindow('capture/e/v/', t, t)).rejects.toThrow(InvalidKeyPartError);
  });
});

describe('move', () => {
  test('quarantines an object with its reason in metadata and a sidecar, and removes the source', async () => {
    const s = store({ now: () => new Date('2026-11-23T09:00:01Z') });
    const from = `${scope()}capture/e/v/2026/11/23/08/00-01-002-x.jsonl`;
    const to = quarantineKey(from);
    await s.put(from, 'not json at all\n', 'application/jsonl', { writer: 'capture-api' });

    const reason = 'line 1: Unexpected token "n" — not JSON\nsecond line';
    await s.move(from, to, { reason });

    expect(await s.exists(from)).toBe(false);
    expect(await s.getText(to)).toBe('not json at all\n');
    const head = await s3rver.current.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: to }));
    expect(head.ContentType).toBe('application/jsonl');
    expect(head.Metadata).toMatchObject({
      writer: 'capture-api',
      'move-reason': 'line 1: Unexpected token "n" not JSON second line',
      'moved-from': encodeURIComponent(from),
      'moved-at': '2026-11-23T09:00:01.000Z',
    });
    expect(await s.getJson(`${to}.reason.json`)).toEqual({
      source: from,
      target: to,
      reason,
      movedAt: '2026-11-23T09:00:01.000Z',
    });
  });

  test('moves keys holding colons and spaces (report and user keys)', async () => {
    const s = store();
    const from = `${scope()}reports/m/2026-11-23T08:00:00Z/my report.json`;
    await s.put(from, '{"ok":true}', 'application/json');
    await s.move(from, `${from}.old`);
    expect(await s.getJson(`${from}.old`)).toEqual({ ok: true });
    expect(await s.exists(from)).toBe(false);
    expect(await s.exists(`${from}.old.reason.json`)).toBe(false);
  });

  test('keeps Content-Encoding so a gzipped capture stays readable', async () => {
    const s = store();
    const from = `${scope()}x.jsonl.gz`;
    await s3rver.current.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: from,
        Body: gzipSync('{}\n'),
        ContentType: 'application/jsonl',
        ContentEncoding: 'gzip',
      }),
    );
    await s.move(from, quarantineKey(from), { reason: 'test' });
    const out = await s3rver.current.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: quarantineKey(from) }),
    );
    expect(out.ContentEncoding).toBe('gzip');
  });

  test('rejects moving a missing object, leaving nothing behind', async () => {
    const s = store();
    const from = `${scope()}gone.jsonl`;
    await expect(s.move(from, quarantineKey(from), { reason: 'x' })).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    expect(await s.exists(quarantineKey(from))).toBe(false);
    expect(await s.exists(`${quarantineKey(from)}.reason.json`)).toBe(false);
  });

  test('rejects moving an object onto itself, which would delete it', async () => {
    const s = store();
    const key = `${scope()}self.json`;
    await s.put(key, '{}', 'application/json');
    await expect(s.move(key, key)).rejects.toBeInstanceOf(InvalidKeyPartError);
    expect(await s.exists(key)).toBe(true);
  });
});
