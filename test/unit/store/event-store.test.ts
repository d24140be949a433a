import fs, {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { open as openFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventStore, rotatedPath } from '../../../src/store/event-store.js';
import { scanStoredKeys } from '../../../src/store/event-store-keys.js';
import {
  findEvent,
  findStoredEvent,
  readEventStore,
  readEventStoreTail,
  skippedWarning,
} from '../../../src/store/event-store-read.js';
import {
  decodeBody,
  encodeBody,
  newEventId,
  recordLine,
  redactHeaders,
  type EventRecord,
} from '../../../src/store/event-store-record.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  file = join(dir, 'nested', 'events.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function record(n: number, body: Buffer | string = `{"n":${n}}`): EventRecord {
  const encoded = encodeBody(Buffer.isBuffer(body) ? body : Buffer.from(body));
  return {
    id: newEventId(NOW + n),
    receivedAt: new Date(NOW + n).toISOString(),
    method: 'POST',
    path: '/',
    remoteAddress: '127.0.0.1',
    headers: { 'content-type': 'application/json', 'x-pictify-delivery-id': `del_${n}` },
    ...encoded,
    bodyBytes: Buffer.byteLength(body),
    status: 200,
    verdict: { ok: true },
    event: 'render.completed',
    deliveryId: `del_${n}`,
    forward: null,
  };
}

describe('EventStore writer', () => {
  it('appends one JSON line per record, creating the folder, with mode 0600', async () => {
    const store = await EventStore.open(file);
    await Promise.all([store.append(record(1)), store.append(record(2))]);
    // Resolved appends are already in the file, before close.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).deliveryId)).toEqual(['del_1', 'del_2']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('groups a burst of appends into few writes and keeps every record exactly once, in order', async () => {
    const store = await EventStore.open(file);
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.append(record(i))));
    await store.close();
    const { records } = await readEventStore(file);
    expect(records.map((r) => r.deliveryId)).toEqual(Array.from({ length: 500 }, (_, i) => `del_${i}`));
    expect(store.appended).toBe(500);
  });

  it('starts on a fresh line after a torn last line, so the new record is not glued to it', async () => {
    const first = await EventStore.open(file);
    await first.append(record(1));
    await first.close();
    appendFileSync(file, '{"id":"evt_torn","receivedAt":"2026'); // what kill -9 mid-write leaves
    const second = await EventStore.open(file);
    await second.append(record(2));
    await second.close();
    const contents = await readEventStore(file);
    expect(contents.records.map((r) => r.deliveryId)).toEqual(['del_1', 'del_2']);
    expect(contents.skipped).toEqual([{ file, line: 2 }]);
    expect(skippedWarning(contents)).toMatch(/skipped 1 unreadable line.*events\.jsonl:2/);
  });

  it('rotates before passing --store-max, keeping exactly one previous file', async () => {
    const one = `${JSON.stringify(record(0))}\n`.length;
    const store = await EventStore.open(file, { maxBytes: one * 3 + 10 });
    for (let i = 0; i < 10; i++) await store.append(record(i));
    await store.close();
    expect(statSync(file).size).toBeLessThanOrEqual(one * 3 + 10);
    expect(existsSync(rotatedPath(file))).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(false);
    const { records } = await readEventStore(file);
    // 10 records, 3 per file: the current file holds 9's batch, .1 the three before it; older ones are gone.
    expect(records.map((r) => r.deliveryId)).toEqual(['del_6', 'del_7', 'del_8', 'del_9']);
  });

  // Both write paths: the default one writes synchronously (fs.writeSync), the durable one through a FileHandle.
  it.each([
    { mode: 'default', durable: false },
    { mode: 'durable', durable: true },
  ])(
    'a write that fails half-way (disk full) leaves no torn bytes to swallow the next acknowledged record ($mode)',
    async ({ durable }) => {
      const store = await EventStore.open(file, { durable });
      await store.append(record(1));
      let spy: { mockRestore(): void; mock: { calls: unknown[] } };
      if (durable) {
        const probe = await openFile(file, 'r');
        const proto = Object.getPrototypeOf(probe) as {
          write: (...args: unknown[]) => Promise<{ bytesWritten: number }>;
        };
        await probe.close();
        const realWrite = proto.write;
        // What a full disk looks like: a short write, then an error on the rest.
        spy = vi
          .spyOn(proto, 'write')
          .mockImplementationOnce(async function (this: unknown, data: unknown, offset: unknown, length: unknown) {
            return realWrite.call(this, data, offset, Math.floor(Number(length) / 2));
          })
          .mockImplementationOnce(async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          });
      } else {
        const realWriteSync = fs.writeSync;
        spy = vi
          .spyOn(fs, 'writeSync')
          .mockImplementationOnce((fd: number, data: unknown, offset?: unknown, length?: unknown) =>
            realWriteSync(fd, data as Buffer, offset as number, Math.floor(Number(length) / 2)),
          )
          .mockImplementationOnce(() => {
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          });
      }
      await expect(store.append(record(2))).rejects.toThrow(/could not write the event store .*ENOSPC/);
      expect(spy.mock.calls.length).toBe(2);
      spy.mockRestore();
      await store.append(record(3));
      await store.close();
      const contents = await readEventStore(file);
      expect(contents.records.map((r) => r.deliveryId)).toEqual(['del_1', 'del_3']);
      expect(skippedWarning(contents)).toBeUndefined();
    },
  );

  it('a batch written after the file was removed goes into a fresh file at the path before it resolves', async () => {
    const store = await EventStore.open(file, { maxBytes: 100_000 });
    await store.append(record(1));
    rmSync(file);
    await store.append(record(2)); // no grace period: the very next batch
    expect(readFileSync(file, 'utf8')).toContain('"del_2"');
    for (let n = 3; n <= 6; n++) await store.append(record(n));
    await store.close();
    expect((await readEventStore(file)).records.map((r) => r.deliveryId)).toEqual([
      'del_2',
      'del_3',
      'del_4',
      'del_5',
      'del_6',
    ]);
  });

  it('a file moved away is not the store any more: the next batch starts a new one at the path', async () => {
    const store = await EventStore.open(file);
    await store.append(record(1));
    renameSync(file, `${file}.moved`);
    await store.append(record(2));
    await store.close();
    expect((await readEventStore(file)).records.map((r) => r.deliveryId)).toEqual(['del_2']);
  });

  it('fails every append while no file can be opened at the path, says so once, and recovers', async () => {
    const unavailable: string[] = [];
    let recovered = 0;
    const store = await EventStore.open(file, {
      onUnavailable: (e) => unavailable.push(e.message),
      onRecovered: () => (recovered += 1),
    });
    await store.append(record(1));
    // What a read-only folder is to a non-root user, and to root too: nothing can be created at the path.
    rmSync(dirname(file), { recursive: true });
    writeFileSync(dirname(file), 'not a folder');
    await expect(store.append(record(2))).rejects.toThrow(/could not write the event store .*(ENOTDIR|EEXIST)/);
    await expect(store.append(record(3))).rejects.toThrow(/could not write the event store/);
    expect(store.unavailable).not.toBeNull();
    expect(unavailable).toHaveLength(1);
    rmSync(dirname(file));
    await store.append(record(4));
    expect(store.unavailable).toBeNull();
    expect(recovered).toBe(1);
    await store.close();
    expect((await readEventStore(file)).records.map((r) => r.deliveryId)).toEqual(['del_4']);
  });

  it('durable: every batch is fdatasynced before its appends resolve', async () => {
    const store = await EventStore.open(file, { durable: true });
    const probe = await openFile(file, 'r');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const spy = vi.spyOn(proto, 'datasync');
    await Promise.all([store.append(record(1)), store.append(record(2))]);
    await store.append(record(3));
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
    await store.close();
    const plain = await EventStore.open(`${file}.plain`);
    const spy2 = vi.spyOn(proto, 'datasync');
    await plain.append(record(1));
    expect(spy2).not.toHaveBeenCalled();
    spy2.mockRestore();
    await plain.close();
  });

  it('the key scan hands on every acknowledged delivery of both files, oldest file first, and skips the rest', async () => {
    const keyed = (n: number): EventRecord => ({
      ...record(n),
      dedupeKeys: [`v1:${String(n).repeat(64)}`, `id:del_${n}`],
    });
    const store = await EventStore.open(file, { maxBytes: Math.floor(5.5 * recordLine(keyed(1)).length) });
    for (let n = 1; n <= 6; n++) await store.append(keyed(n));
    await store.append({ ...record(7), status: 401, verdict: { ok: false, reason: 'signature_mismatch' } });
    // Acknowledged before listen wrote dedupeKeys: known by its id and its one v1.
    const v1 = 'ab'.repeat(32);
    await store.append({ ...record(8), headers: { 'x-pictify-signature': `t=1,v1=${v1}` } });
    // Verified but refused by the app (502): not acknowledged, so not a key.
    await store.append({ ...record(9), status: 502 });
    await store.close();
    appendFileSync(file, '{"id":"evt_torn","dedupeKeys":["id:del_torn"');
    expect(existsSync(rotatedPath(file))).toBe(true);
    const files: string[] = [];
    const keys: string[][] = [];
    const scan = await scanStoredKeys(
      file,
      (path) => files.push(path),
      (k) => keys.push(k),
    );
    expect(files).toEqual([rotatedPath(file), file]);
    expect(keys.map((k) => k.at(-1))).toEqual([
      'id:del_1',
      'id:del_2',
      'id:del_3',
      'id:del_4',
      'id:del_5',
      'id:del_6',
      'id:del_8',
    ]);
    expect(keys[0]).toEqual([`v1:${'1'.repeat(64)}`, 'id:del_1']);
    expect(keys.at(-1)).toEqual([`v1:${v1}`, 'id:del_8']);
    expect(scan).toEqual({ lines: 10, deliveries: 7 });
    expect(
      await scanStoredKeys(
        join(dir, 'missing.jsonl'),
        () => undefined,
        () => undefined,
      ),
    ).toEqual({
      lines: 0,
      deliveries: 0,
    });
  });

  it('refuses appends after close', async () => {
    const store = await EventStore.open(file);
    await store.close();
    await expect(store.append(record(1))).rejects.toThrow(/closed/);
  });
});

describe('event store reader', () => {
  it('a listing keeps only the newest records it accepts, counts them all, and still reports unreadable lines', async () => {
    const one = `${JSON.stringify(record(0))}\n`.length;
    const store = await EventStore.open(file, { maxBytes: one * 6 + 10 });
    // 6 in the rotated file, 4 in the current one; even ones render.completed, odd ones render.failed.
    for (let i = 0; i < 10; i++)
      await store.append({ ...record(i), event: i % 2 ? 'render.failed' : 'render.completed' });
    await store.close();
    appendFileSync(file, '{"torn');
    const completed = (event: string | null) => event === 'render.completed';
    const tail = await readEventStoreTail(file, 3, completed);
    expect(tail.records.map((r) => r.deliveryId)).toEqual(['del_4', 'del_6', 'del_8']);
    expect(tail.total).toBe(5);
    // The torn line is the newest: read for the page, reported, not counted.
    const unfiltered = await readEventStoreTail(file, 3);
    expect(unfiltered.records.map((r) => r.deliveryId)).toEqual(['del_7', 'del_8', 'del_9']);
    expect(unfiltered.skipped).toEqual([{ file, line: 5 }]);
    expect(unfiltered.total).toBe(10);
    const all = await readEventStore(file);
    expect(all.skipped).toEqual([{ file, line: 5 }]);
    expect((await readEventStoreTail(file, 50)).records).toEqual(all.records);
    expect((await readEventStoreTail(file, 4)).records).toEqual(all.records.slice(-4));
  });

  it('finds a record by id, delivery id (newest) or unique id prefix, reading only the lines that hold the key', async () => {
    const store = await EventStore.open(file);
    const records = [record(1), record(2), { ...record(3), deliveryId: 'del_1' }];
    for (const r of records) await store.append(r);
    await store.close();
    appendFileSync(file, `{"torn del_2\n`);
    expect(await findStoredEvent(file, records[1].id)).toEqual({
      found: { record: records[1] },
      skipped: [],
      exists: true,
    });
    expect((await findStoredEvent(file, 'del_1')).found).toEqual({ record: records[2] });
    const byDelivery = await findStoredEvent(file, 'del_2');
    expect(byDelivery.found).toEqual({ record: records[1] });
    expect(byDelivery.skipped).toEqual([{ file, line: 4 }]);
    expect((await findStoredEvent(file, records[0].id.slice(0, 10))).found).toMatchObject({
      ambiguous: expect.any(Array),
    });
    expect((await findStoredEvent(file, 'nothing-like-it')).found).toEqual({ notFound: true });
    expect(await findStoredEvent(join(dir, 'missing.jsonl'), 'x')).toEqual({
      found: { notFound: true },
      skipped: [],
      exists: false,
    });
  });

  it('read from the end, an event id still wins over a newer delivery id spelled the same', async () => {
    const store = await EventStore.open(file);
    const older = record(1);
    // A sender may name a delivery anything, an event id among them.
    const newer = { ...record(2), deliveryId: older.id };
    for (const r of [older, newer]) await store.append(r);
    await store.close();
    expect((await findStoredEvent(file, older.id)).found).toEqual({ record: older });
  });

  it('reads nothing, without error, when there is no store yet', async () => {
    const contents = await readEventStore(join(dir, 'missing.jsonl'));
    expect(contents).toEqual({ records: [], skipped: [], exists: false });
  });

  it('skips foreign and broken lines anywhere and reports where', async () => {
    writeFileSync(
      file.replace('nested/', ''),
      `${JSON.stringify(record(1))}\nnot json\n{"a":1}\n${JSON.stringify(record(2))}\n`,
    );
    const contents = await readEventStore(file.replace('nested/', ''));
    expect(contents.records).toHaveLength(2);
    expect(contents.skipped.map((s) => s.line)).toEqual([2, 3]);
  });

  it('finds by id, delivery id and unique prefix', () => {
    const records = [record(1), record(2)];
    expect(findEvent(records, records[1].id)).toEqual({ record: records[1] });
    expect(findEvent(records, 'del_1')).toEqual({ record: records[0] });
    expect(findEvent(records, records[0].id.slice(0, -2))).toEqual({ record: records[0] });
    expect(findEvent(records, 'evt_')).toEqual({ notFound: true }); // too short to be a prefix
    expect('ambiguous' in findEvent(records, records[0].id.slice(0, 10))).toBe(true);
    expect(findEvent(records, 'evt_nope0000000')).toEqual({ notFound: true });
  });
});

describe('records', () => {
  it('bodies round-trip byte for byte: UTF-8 as text, anything else as base64', () => {
    const text = Buffer.from('{"title":"Grüße ✓"}');
    expect(encodeBody(text)).toEqual({ body: '{"title":"Grüße ✓"}', bodyEncoding: 'utf8' });
    const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0xc3, 0x7d]);
    const encoded = encodeBody(binary);
    expect(encoded.bodyEncoding).toBe('base64');
    expect(decodeBody(encoded).equals(binary)).toBe(true);
    expect(decodeBody(encodeBody(text)).equals(text)).toBe(true);
  });

  it('ids are short, unique and sort by time', () => {
    const ids = Array.from({ length: 200 }, (_, i) => newEventId(NOW + Math.floor(i / 50)));
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^evt_[0-9a-z]{16}$/);
  });

  it("an id's time part is its own millisecond's, also when the clock goes back and forth", () => {
    const times = [NOW, NOW + 1, NOW, NOW + 36 ** 3, NOW];
    for (const t of times) expect(newEventId(t).slice(4, 13)).toBe(t.toString(36).padStart(9, '0'));
  });

  it('credentials in headers are redacted, other headers kept as they are', () => {
    const headers = { authorization: 'Bearer sk_live_x', cookie: 'a=b', 'x-pictify-event': 'render.completed' };
    expect(redactHeaders(headers)).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-pictify-event': 'render.completed',
    });
    const clean = { 'content-type': 'application/json' };
    expect(redactHeaders(clean)).toBe(clean);
  });
});
