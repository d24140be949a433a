// The inspector's pure pieces and its file tail: diff, guard rules, replay targets, copy commands, the index.
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCommands } from '../../../src/inspector/copy-commands.js';
import { DeliveryIndex } from '../../../src/inspector/delivery-index.js';
import { lineDiff } from '../../../src/inspector/diff.js';
import { checkHost, checkOrigin, checkToken } from '../../../src/inspector/guard.js';
import { isLoopbackHostname } from '../../../src/inspector/replay.js';
import { parseFilter } from '../../../src/inspector/summary.js';
import { tailStore } from '../../../src/inspector/tail.js';
import type { EventRecord } from '../../../src/store/event-store-record.js';
import { writeLargeStore } from '../../browser/store-fixture.js';

const SECRET = 'whsec_pieces_0123';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('lineDiff', () => {
  it('marks changed lines and keeps the common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'added', text: 'B' },
      { op: 'removed', text: 'b' },
      { op: 'same', text: 'c' },
      { op: 'added', text: 'd' },
    ]);
    expect(lineDiff('x\ny', 'x\ny')!.every((l) => l.op === 'same')).toBe(true);
  });

  it('refuses bodies too large to diff quickly instead of stalling', () => {
    const big = (seed: string) => Array.from({ length: 3000 }, (_, i) => `${seed}${i}`).join('\n');
    expect(lineDiff(big('a'), big('b'))).toBeUndefined();
  });
});

describe('guard', () => {
  const rules = { port: 4141, token: 't'.repeat(32) };
  it('accepts only the loopback host:port it serves', () => {
    expect(checkHost('127.0.0.1:4141', rules)).toBeUndefined();
    expect(checkHost('LOCALHOST:4141', rules)).toBeUndefined();
    for (const host of [undefined, '127.0.0.1', '127.0.0.1:4142', 'evil.example:4141', '127.0.0.2:4141'])
      expect(checkHost(host, rules)?.status, String(host)).toBe(403);
  });
  it('compares the token exactly, length included', () => {
    expect(checkToken('t'.repeat(32), rules)).toBeUndefined();
    expect(checkToken('t'.repeat(31), rules)?.error).toBe('bad_token');
    expect(checkToken(undefined, rules)?.error).toBe('missing_token');
  });
  it('a same-origin Origin is the page’s own scheme, host and port', () => {
    expect(checkOrigin('http://127.0.0.1:4141', '127.0.0.1:4141')).toBeUndefined();
    expect(checkOrigin('http://localhost:4141', '127.0.0.1:4141')?.status).toBe(403);
    expect(checkOrigin('https://127.0.0.1:4141', '127.0.0.1:4141')?.status).toBe(403);
    expect(checkOrigin('null', '127.0.0.1:4141')?.status).toBe(403);
  });
});

describe('replay targets', () => {
  it('loopback means loopback addresses and localhost, nothing DNS could move', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]']) expect(isLoopbackHostname(h), h).toBe(true);
    for (const h of ['app.localhost', '10.0.0.1', 'example.com', '127.0.0.1.nip.io', '[::ffff:7f00:1]'])
      expect(isLoopbackHostname(h), h).toBe(false);
  });
});

describe('copy commands', () => {
  it('curl resends the stored request; send names the secret’s source, never the secret', () => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-pieces-'));
    const [record] = writeLargeStore(join(dir, 'e.jsonl'), 1, SECRET);
    const withSub = { ...record, verdict: { ok: true, matchedLabel: 'sub_abc' } } as EventRecord;
    const c = copyCommands(withSub, 'http://127.0.0.1:3000/hooks');
    expect(c.curl).toContain('curl -sS -X POST http://127.0.0.1:3000/hooks');
    expect(c.curl).toContain(`X-Pictify-Signature: ${record.headers['x-pictify-signature']}`);
    expect(c.curl).not.toContain('host:');
    expect(c.send).toContain('--subscription sub_abc');
    expect(c.send).toContain(`--delivery-id ${record.deliveryId}`);
    const withFlag = copyCommands({ ...record, verdict: { ok: true, matchedLabel: 'flag' } }, 'http://127.0.0.1:3000/');
    expect(withFlag.send).toContain('--secret "$PICTIFY_WEBHOOK_SECRET"');
    for (const text of [c.curl, c.send, withFlag.send]) expect(text).not.toContain(SECRET);
  });
});

describe('DeliveryIndex', () => {
  it('ignores a record it already has (the tail re-reading), pages newest first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-pieces-'));
    const records = writeLargeStore(join(dir, 'e.jsonl'), 120, SECRET);
    const index = new DeliveryIndex();
    for (const r of records) index.add(r);
    expect(index.add(records[5])).toBeUndefined();
    expect(index.size).toBe(120);
    const page = await index.list(parseFilter(new URLSearchParams('verdict=failed')), { limit: 10 });
    expect(page.total).toBe(3); // i % 50 === 7
    expect(page.items.map((i) => i.deliveryId)).toEqual(
      [records[107], records[57], records[7]].map((r) => r.deliveryId),
    );
    expect((await index.previousOfSameEvent(records[12].id))?.id).toBe(records[6].id);
  });
});

describe('DeliveryIndex over a store file', () => {
  it('reads lines of another key order by parsing them, skips torn ones, and reads records back by id', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-index-'));
    const file = join(dir, 'e.jsonl');
    const records = writeLargeStore(join(dir, 'source.jsonl'), 6, SECRET);
    // Keys reversed: nothing where listen writes it, so only a parse reads it.
    const reordered = Object.fromEntries(Object.entries(records[2]).reverse());
    const lines = [records[0], records[1], reordered, records[3], records[4]].map((r) => JSON.stringify(r));
    // A write torn by a kill, then the next one appended to it: one line holding two records' bytes.
    lines.splice(4, 0, JSON.stringify(records[5]).slice(0, 90) + JSON.stringify(records[5]));
    writeFileSync(file, lines.join('\n') + '\n{"torn');
    const handle = await open(file);
    const index = new DeliveryIndex();
    try {
      await index.index([{ path: file, handle, size: (await handle.stat()).size }]);
      expect(index.skipped).toEqual([{ file, line: 7 }]);
      const page = await index.list(parseFilter(new URLSearchParams()), { limit: 10 });
      // The run-together line passes for records[5] until it is read back: its row is left out, its count stays.
      expect(page.total).toBe(6);
      expect(page.items.map((i) => i.id)).toEqual([4, 3, 2, 1, 0].map((i) => records[i].id));
      expect((await index.get(records[2].id))?.record).toEqual(reordered);
      expect((await index.get(records[2].id))?.seq).toBe(2);
      expect(await index.get(records[5].id)).toBeUndefined();
      const byEvent = await index.list(parseFilter(new URLSearchParams(`event=${records[2].event}`)));
      expect(byEvent.items.map((i) => i.id)).toContain(records[2].id);
      expect(index.add(records[3])).toBeUndefined();
    } finally {
      await index.close();
    }
  });
});

describe('DeliveryIndex in two passes', () => {
  it('answers the newest page and a row by id once the lines are found, before the facts are read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-passes-'));
    const file = join(dir, 'e.jsonl');
    const records = writeLargeStore(file, 300, SECRET);
    const real = await open(file);
    // The second pass over the file from its start (the facts pass) waits until released; rows' reads do not.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let fromStart = 0;
    const handle = {
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        // The 1st read from the start is the lines pass, the 2nd the facts pass; a 3rd, a search for an id.
        if (position === 0 && ++fromStart === 2) await held;
        return real.read(buffer, offset, length, position);
      },
      close: () => real.close(),
    } as unknown as FileHandle;
    const index = new DeliveryIndex();
    try {
      const facts = index.index([{ path: file, handle, size: (await real.stat()).size }]);
      await index.lines;
      const page = await index.list(parseFilter(new URLSearchParams()), { limit: 3 });
      expect(page.total).toBe(300);
      expect(page.items.map((i) => i.id)).toEqual([299, 298, 297].map((i) => records[i].id));
      expect((await index.get(records[298].id))?.seq).toBe(298);
      expect(index.complete).toBe(false);
      release();
      await facts;
      expect(index.complete).toBe(true);
      expect(index.eventNames().length).toBeGreaterThan(1);
      expect((await index.get(records[5].id))?.seq).toBe(5);
    } finally {
      await index.close();
    }
  });
});

describe('tailStore', () => {
  it('reads appended lines, waits for a line being written, and follows a rotation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-tail-'));
    const source = writeLargeStore(join(dir, 'source.jsonl'), 4, SECRET);
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, '');
    const seen: string[] = [];
    const tail = tailStore(file, 0, (r) => seen.push(r.id));
    try {
      const line = (i: number) => `${JSON.stringify(source[i])}\n`;
      appendFileSync(file, line(0) + line(1).slice(0, 40));
      await expect.poll(() => seen.length).toBe(1);
      appendFileSync(file, line(1).slice(40));
      await expect.poll(() => seen.length).toBe(2);
      // Appended just before the rotation, between two polls: read from the .1 file.
      appendFileSync(file, line(2));
      renameSync(file, `${file}.1`);
      writeFileSync(file, line(3));
      await expect.poll(() => seen).toEqual(source.map((r) => r.id));
    } finally {
      tail.stop();
    }
  });
});
