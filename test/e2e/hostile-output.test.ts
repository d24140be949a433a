// The output edge against hostile text (issue 11 item 5): payloads, headers, delivery ids, stored paths, API error
// bodies and receivers' answers full of ESC/OSC/CSI/BEL/RLO/DEL reach the terminal escaped, through the built bin.
// Human output carries no raw ESC, BEL, 8-bit CSI or U+202E; --json carries them as \u escapes that parse back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDelivery } from '../../src/outbound/build.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { startReferenceReceiver } from '../helpers/reference-receiver.js';
import { expectEscapedJson, expectNoRawControls, HOSTILE, HOSTILE_HEADER, rawPost } from '../helpers/hostile.js';

const SECRET = 'whsec_hostile_output_test';

const { dir, cli, servers } = useBinSandbox();

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

/** A server on port 0 that answers every request with `status` and a hostile body and header; its origin. */
async function hostileServer(status: number): Promise<string> {
  // Node refuses control characters in header values it writes; 8-bit ones pass (latin1).
  const headers = { 'x-hostile': 'a\u009b2Jb' };
  const server = await startReferenceReceiver({ path: '', answer: { status, body: `refused: ${HOSTILE}`, headers } });
  servers.push(server);
  return server.url;
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
    const problem = JSON.stringify({ title: 'Bad Request', detail: `nope ${HOSTILE}`, status: 400 });
    const api = await startReferenceReceiver({
      path: '',
      answer: { status: 400, body: problem, contentType: 'application/problem+json' },
    });
    servers.push(api);
    const base = api.url;
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

  it("replay: the stored delivery and the receiver's hostile answer are escaped; --json round-trips them", async () => {
    await listenAndDeliver();
    const app = await hostileServer(400);
    const [signed, rejected] = JSON.parse((await cli.run(['events', 'list', '--json'])).stdout);
    const replay = await cli.run(['replay', signed.id, '--to', `${app}/hooks`, '--secret', SECRET]);
    expect(replay.code, replay.stderr).toBe(1);
    expectNoRawControls(replay.stdout + replay.stderr, 'replay');
    expect(replay.stdout).toContain('refused: \\x1b]0;pwned\\x07');

    const json = await cli.run(['replay', signed.id, '--to', `${app}/hooks`, '--secret', SECRET, '--json']);
    expectEscapedJson(json.stdout);
    expect(JSON.parse(json.stdout)).toMatchObject({
      deliveryId: 'del_hostile_1',
      status: 400,
      body: `refused: ${HOSTILE}`,
    });

    // As-is, the hostile stored header is refused (it would be sent raw): the error says so, escaped.
    const asIs = await cli.run(['replay', rejected.id, '--to', `${app}/hooks`, '--as-is']);
    expect(asIs.code).toBe(2);
    expectNoRawControls(asIs.stderr, 'replay --as-is refusal');

    const dry = await cli.run(['replay', '--all', '--to', `${app}/hooks`, '--as-is', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expectNoRawControls(dry.stdout + dry.stderr, 'replay --dry-run');
    expect(dry.stdout).toContain('del_\\x9b2J\\x9b]0;pwned');
    const dryJson = await cli.run(['replay', '--all', '--to', `${app}/hooks`, '--as-is', '--dry-run', '--json']);
    expectNoRawControls(dryJson.stdout, 'replay --dry-run --json');
    expect(JSON.parse(dryJson.stdout).map((r: { deliveryId: string }) => r.deliveryId)).toContain(rejected.deliveryId);
  });

  it('check: a receiver answering hostile text cannot reach the terminal through the report', async () => {
    const receiver = await hostileServer(200);
    const check = await cli.run(['check', `${receiver}/hooks`, '--secret', SECRET, '--request-gap', '0']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/score: \d+\/\d+ cases passed/);
    expectNoRawControls(check.stdout + check.stderr, 'check');
    const json = await cli.run(['check', `${receiver}/hooks`, '--secret', SECRET, '--request-gap', '0', '--json']);
    expectNoRawControls(json.stdout, 'check --json');
    expect(JSON.parse(json.stdout).ok).toBe(false);
  });

  it("trigger and deliveries: the target's hostile answer is escaped in the emulator's log", async () => {
    const emulator = await startWithReadyFile(cli, ['emulator', '--port', '0'], dir);
    const target = await hostileServer(500);
    const env = { env: { PICTIFY_BASE_URL: emulator.url, PICTIFY_API_KEY: 'pk_test_hostile_output' } };
    const created = await cli.run(['create', '--event', 'render.completed', '--url', `${target}/hooks`], env);
    expect(created.code, created.stderr).toBe(0);
    const trigger = await cli.run(['trigger', 'render.completed'], env);
    expect(trigger.code, trigger.stderr).toBe(0);
    expectNoRawControls(trigger.stdout + trigger.stderr, 'trigger');

    const deliveries = await cli.run(['deliveries'], env);
    expect(deliveries.code).toBe(0);
    expectNoRawControls(deliveries.stdout + deliveries.stderr, 'deliveries');
    // The table fits 100 columns, so the answer is cut short: its start is there, escaped (in full in --json).
    expect(deliveries.stdout).toContain('refused: \\x');

    const json = await cli.run(['deliveries', '--json'], env);
    expectEscapedJson(json.stdout);
    expect(JSON.parse(json.stdout)[0].responseBody).toBe(`refused: ${HOSTILE}`);
  });
});
