// The output edge against hostile text (issue 11 item 5): payloads, headers, delivery ids, stored paths, API error
// bodies and receivers' answers full of ESC/OSC/CSI/BEL/RLO/DEL reach the terminal escaped, through the built bin.
// Human output carries no raw ESC, BEL, 8-bit CSI or U+202E; --json carries them as \u escapes that parse back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDelivery } from '../../src/outbound/build.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { Cli, startWithReadyFile } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { expectEscapedJson, expectNoRawControls, HOSTILE, HOSTILE_HEADER, rawPost } from '../helpers/hostile.js';

const SECRET = 'whsec_hostile_output_test';

let dir: string;
let cleanup: () => void;
let cli: Cli;
const servers: Server[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempConfigDir());
  cli = new Cli({ PICTIFY_HOOKS_CONFIG_DIR: dir });
});
afterEach(async () => {
  cli.killAll();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  cleanup();
});

/** A verified render.completed whose url and format are hostile: listen shows them on its line. */
function signedHostile(deliveryId: string) {
  const event = buildSampleEvent('render.completed', { deliveryId, now: Date.now() }) as unknown as {
    data: Record<string, unknown>;
  };
  event.data.url = `https://cdn.example/${HOSTILE}.png`;
  event.data.format = HOSTILE;
  return buildDelivery({
    body: JSON.stringify(event),
    secret: SECRET,
    timestamp: Math.floor(Date.now() / 1000),
    event: 'render.completed',
    deliveryId,
  });
}

/** Unsigned, with a hostile delivery id and event header and raw control bytes in a body that is not JSON. */
function unsignedHostile() {
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Pictify-Delivery-Id': HOSTILE_HEADER,
      'X-Pictify-Event': `render.completed${HOSTILE_HEADER}`,
      'X-Pictify-Signature': `t=1,v1=${'a'.repeat(64)}`,
    },
    body: `{"event":"render.completed${HOSTILE}","data":{"url":"${HOSTILE}"}}`,
  };
}

async function listenAndDeliver(extra: string[] = []) {
  const listen = await startWithReadyFile(
    cli,
    ['listen', '--port', '0', '--secret', SECRET, '--exit-after', '1', '--timeout', '20s', ...extra],
    dir,
  );
  const target = `${listen.url}/webhooks/pictify`;
  const unsigned = unsignedHostile();
  expect((await rawPost(target, unsigned)).status).toBe(401);
  const signed = signedHostile('del_hostile_1');
  expect((await rawPost(target, { headers: signed.headers, body: signed.body })).status).toBe(200);
  const done = await listen.done;
  expect(done.code, done.stderr).toBe(0);
  return done;
}

describe('hostile text at the output edge (built bin)', () => {
  it('listen: human lines show the payload and headers escaped, nothing raw on stdout or stderr', async () => {
    const { stdout, stderr } = await listenAndDeliver();
    expectNoRawControls(stdout, 'listen stdout');
    expectNoRawControls(stderr, 'listen stderr');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('del_\\x9b2J\\x9b]0;pwned');
    expect(lines[1]).toContain('url=https://cdn.example/\\x1b]0;pwned\\x07 \\x1b[2J \\x9b2J \\x07 \\u202e \\x7f.png');
  });

  it('listen --json: one valid line per delivery, the controls as \\u escapes that parse back', async () => {
    const { stdout } = await listenAndDeliver(['--json']);
    expectEscapedJson(stdout);
    const [rejected, verified] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.deliveryId).toBe('del_\u009b2J\u009b]0;pwned');
    expect(verified.payload.data.format).toBe(HOSTILE);
    expect(verified.payload.data.url).toBe(`https://cdn.example/${HOSTILE}.png`);
  });

  it('events list and events show: escaped for people, \\u-escaped JSON for scripts', async () => {
    await listenAndDeliver();
    const list = await cli.run(['events', 'list']);
    expect(list.code).toBe(0);
    expectNoRawControls(list.stdout + list.stderr, 'events list');
    expect(list.stdout).toContain('del_\\x9b2J\\x9b]0;pwned');

    const listJson = await cli.run(['events', 'list', '--json']);
    const records = JSON.parse(listJson.stdout);
    expectNoRawControls(listJson.stdout, 'events list --json');
    expect(records.map((r: { deliveryId: string }) => r.deliveryId)).toEqual([
      'del_hostile_1',
      'del_\u009b2J\u009b]0;pwned',
    ]);
    expect(records[0].payload.data.format).toBe(HOSTILE);

    for (const record of records) {
      const show = await cli.run(['events', 'show', record.id]);
      expect(show.code).toBe(0);
      expectNoRawControls(show.stdout + show.stderr, `events show ${record.deliveryId}`);
      const showJson = await cli.run(['events', 'show', record.id, '--json']);
      expectNoRawControls(showJson.stdout, 'events show --json');
      const parsed = JSON.parse(showJson.stdout);
      expect(parsed.deliveryId).toBe(record.deliveryId);
    }
    const unsigned = await cli.run(['events', 'show', records[1].id]);
    // The raw body is shown as stored, its control bytes escaped.
    expect(unsigned.stdout).toContain('"url":"\\x1b]0;pwned\\x07 \\x1b[2J \\x9b2J \\x07 \\u202e \\x7f"');
    expect(JSON.parse((await cli.run(['events', 'show', records[1].id, '--json'])).stdout).body).toBe(
      unsignedHostile().body,
    );
  });

  it('error messages: an API error body and a stored path come out escaped', async () => {
    const api = createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Bad Request', detail: `nope ${HOSTILE}`, status: 400 }));
    });
    servers.push(api);
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const listed = await cli.run(['list', '--base-url', base, '--api-key', 'pk_test_hostile_0123456789']);
    expect(listed.code).toBe(1);
    expectNoRawControls(listed.stderr, 'API error');
    expect(listed.stderr).toContain('nope \\x1b]0;pwned\\x07');

    const missing = await cli.run(['events', 'show', 'evt_x', '--store', join(dir, `store${HOSTILE}.jsonl`)]);
    expect(missing.code).not.toBe(0);
    expectNoRawControls(missing.stderr, 'stored path in an error');
    expect(missing.stderr).toContain('store\\x1b]0;pwned\\x07');

    const unknown = await cli.run(['events', 'list', `--lim\u001b[2Jit`, '3']);
    expect(unknown.code).toBe(2);
    expectNoRawControls(unknown.stderr, 'unknown option');
    expect(unknown.stderr).toContain('--lim\\x1b[2Jit');
  });
});
