// `pictify-hooks mcp` through the SDK's own client over stdio, the built bin spawned as an agent would, against the
// emulator and a running `listen` (built bins too): the tools and their annotations, the whole webhook loop, bad
// input — and not one secret in anything the server sent or logged.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { startMcp, type McpSession } from '../helpers/mcp-client.js';

const API_KEY = 'pk_test_e2e_mcp';
const { dir, cli, servers } = useBinSandbox({ PICTIFY_API_KEY: API_KEY });
const sessions: McpSession[] = [];

async function mcp(env: Record<string, string> = {}): Promise<McpSession> {
  const session = await startMcp({ PICTIFY_HOOKS_CONFIG_DIR: dir, PICTIFY_API_KEY: API_KEY, ...env });
  sessions.push(session);
  return session;
}

async function closeSessions() {
  for (const s of sessions.splice(0)) await s.close();
}

const storedSecrets = (): string[] => {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  return Object.values(config.profiles.default.secrets ?? {}).map((s: any) => s.secret);
};

describe('pictify-hooks mcp', () => {
  it('lists its tools with input schemas and annotations', async () => {
    const session = await mcp();
    const { tools } = await session.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'check_receiver',
        'create_subscription',
        'delete_subscription',
        'get_event',
        'get_subscription',
        'list_event_types',
        'list_events',
        'list_subscriptions',
        'replay_event',
        'send_test_event',
        'trigger_event',
        'update_subscription',
        'verify_signature',
        'wait_for_event',
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.destructiveHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.idempotentHint, tool.name).toBe('boolean');
    }
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
    expect(readOnly.sort()).toEqual(
      ['get_event', 'get_subscription', 'list_event_types', 'list_events', 'list_subscriptions', 'verify_signature']
        .concat(['wait_for_event'])
        .sort(),
    );
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive.sort()).toEqual(['delete_subscription', 'update_subscription']);
    expect(byName.create_subscription.inputSchema.required).toEqual(['event', 'targetUrl']);
    expect(JSON.stringify(byName.create_subscription.inputSchema)).not.toMatch(/apiKey|api_key/);
    await closeSessions();
  });

  it(
    'runs the loop against the emulator and listen, and never sends or logs a secret',
    { timeout: 60_000 },
    async () => {
      const emulator = await startWithReadyFile(cli, ['emulator', '--port', '0'], dir);
      // listen verifies with the emulator's secrets when it talks to the emulator, as the README's export has it.
      const receiver = await startWithReadyFile(
        cli,
        ['listen', '--port', '0', '--path', '/webhooks', '--base-url', emulator.url],
        dir,
      );
      const session = await mcp({ PICTIFY_BASE_URL: emulator.url });

      const created = await session.call('create_subscription', { event: 'render.completed', targetUrl: receiver.url });
      expect(created.isError, created.text).toBe(false);
      expect(created.value).toMatchObject({ secretStored: true, subscription: { event: 'render.completed' } });
      const uid: string = created.value.subscription.uid;
      expect(created.value.subscription).not.toHaveProperty('secret');
      const [secret] = storedSecrets();
      expect(secret).toMatch(/^whsec_/);

      const listed = await session.call('list_subscriptions', { event: 'render.completed' });
      expect(listed.value.subscriptions.map((s: any) => [s.uid, s.secretStored])).toEqual([[uid, true]]);

      const got = await session.call('get_subscription', { uid });
      expect(got.value).toMatchObject({ uid, secretStored: true, status: 'active' });
      const filtered = await session.call('update_subscription', { uid, templateId: 'tmpl_1', status: 'paused' });
      expect(filtered.value.subscription).toMatchObject({ filters: { templateId: 'tmpl_1' }, status: 'paused' });
      const restored = await session.call('update_subscription', { uid, clearFilters: true, status: 'active' });
      expect(restored.value.subscription).toMatchObject({ filters: {}, status: 'active' });
      const nothing = await session.call('update_subscription', { uid });
      expect(nothing).toMatchObject({ isError: true, text: expect.stringMatching(/^nothing to update/) });

      // A stored secret signs deliveries to this machine or to its own subscription's url, not elsewhere.
      const remote = await session.call('send_test_event', {
        event: 'render.completed',
        subscription: uid,
        url: 'https://example.com/hook',
      });
      expect(remote.isError).toBe(true);
      expect(remote.text).toMatch(/example\.com is not on this machine nor the subscription’s target url/);

      const sent = await session.call('send_test_event', { event: 'render.completed', subscription: uid });
      expect(sent.value, sent.text).toMatchObject({ ok: true, status: 200, url: receiver.url, signedWith: uid });

      const events = await session.call('list_events', {});
      expect(events.value.events).toHaveLength(1);
      const [stored] = events.value.events;
      expect(stored).toMatchObject({ event: 'render.completed', deliveryId: sent.value.deliveryId });
      expect(stored.verdict).toMatchObject({ ok: true, matchedLabel: uid });

      const detail = (await session.call('get_event', { id: stored.id })).value;
      const header: string = detail.headers['x-pictify-signature'];
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const good = await session.call('verify_signature', { header, payload: detail.body, subscription: uid });
      expect(good.value).toMatchObject({ valid: true, matched: uid });
      const tampered = await session.call('verify_signature', {
        header,
        payload: detail.body.replace('render.completed', 'render.failed'),
        subscription: uid,
      });
      expect(tampered.isError).toBe(false);
      expect(tampered.value).toMatchObject({ valid: false, reason: 'signature_mismatch' });
      expect(tampered.value.findings.length).toBeGreaterThan(0);
      // A body a JSON parser re-serialized is named as such.
      const pretty = JSON.stringify(JSON.parse(detail.body), null, 2);
      const reserialized = await session.call('verify_signature', { header, payload: pretty });
      expect(reserialized.value.findings.map((f: any) => f.code)).toContain('payload_reserialized');

      const replayed = await session.call('replay_event', { id: stored.id, to: receiver.url });
      expect(replayed.value, replayed.text).toMatchObject({ ok: true, status: 200, mode: 'resigned' });
      expect(replayed.value.deliveryId).toBe(sent.value.deliveryId);

      const graded = await session.call('check_receiver', {
        url: receiver.url,
        subscription: uid,
        event: 'render.completed',
      });
      expect(graded.isError, graded.text).toBe(false);
      expect(graded.value.grade).toMatch(/^\d+\/\d+ passed$/);
      expect(graded.value.failed, graded.text).toEqual([]);
      expect(graded.value.ok).toBe(true);

      // A wait started before the emulator delivers sees that delivery.
      const waiting = session.call('wait_for_event', { event: 'render.*', timeoutSeconds: 20 });
      const triggered = await session.call('trigger_event', { event: 'render.completed' });
      expect(triggered.value, triggered.text).toMatchObject({ matched: 1 });
      const arrived = await waiting;
      expect(arrived.value, arrived.text).toMatchObject({ arrived: true, event: { event: 'render.completed' } });
      expect(arrived.value.event.verdict.ok).toBe(true);

      // A hostile delivery (unsigned, credentials in its headers, terminal controls in its body) is shown inert.
      const hostile = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'key-in-a-header', authorization: 'Bearer tok' },
        body: JSON.stringify({ event: 'render.completed', data: { note: '\u001b]0;pwned\u0007 \u202eevil' } }),
      });
      expect(hostile.status).toBe(400);
      const refused = (await session.call('list_events', { limit: 1 })).value.events[0];
      expect(refused.verdict).toMatchObject({ ok: false, reason: 'missing_header' });
      const shown = await session.call('get_event', { id: refused.id });
      expect(shown.value.headers).toMatchObject({ 'x-api-key': '[redacted]', authorization: '[redacted]' });
      expect(shown.text).not.toContain('key-in-a-header');
      expect(shown.text).not.toMatch(/[\u0007\u001b\u202e]/);
      expect(shown.text).toContain('\\u202e');
      expect(shown.value.payload.data.note).toBe('\u001b]0;pwned\u0007 \u202eevil');

      const deleted = await session.call('delete_subscription', { uid });
      expect(deleted.value).toEqual({ uid, deleted: true, secretRemoved: true });
      expect(storedSecrets()).toEqual([]);

      const everything = [...session.traffic, session.stderr()].join('\n');
      expect(everything).not.toContain('whsec_');
      expect(everything).not.toContain(secret.slice('whsec_'.length));
      expect(everything).not.toContain(API_KEY);
      expect(session.stderr()).toMatch(/mcp: create_subscription ok/);
      await closeSessions();
    },
  );

  it('answers bad input with a clear error and keeps serving', { timeout: 30_000 }, async () => {
    const session = await mcp();
    const given = 'whsec_given_by_the_model_0123456789';

    const unknown = await session.call('no_such_tool', {});
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toMatch(/no_such_tool not found/);

    const wrongType = await session.call('get_subscription', { uid: 42 });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.text).toMatch(/Input validation error.*uid/s);

    const ftp = await session.call('send_test_event', { event: 'render.completed', url: 'ftp://x/y', secret: given });
    expect(ftp.isError).toBe(true);
    expect(ftp.text).toMatch(/only http and https urls/);
    const script = await session.call('create_subscription', { event: 'render.completed', targetUrl: 'javascript:1' });
    expect(script.text).toMatch(/only http and https urls/);

    const tooLong = await session.call('wait_for_event', { timeoutSeconds: 600 });
    expect(tooLong.isError).toBe(true);
    expect(tooLong.text).toMatch(/timeoutSeconds/);
    const nothing = await session.call('wait_for_event', { timeoutSeconds: 0.3 });
    expect(nothing.value).toMatchObject({ arrived: false, waitedSeconds: 0.3 });

    const unknownEvent = await session.call('list_event_types', { event: 'render.complete' });
    expect(unknownEvent.isError).toBe(true);

    // A stored secret never signs a delivery to another host (the model may have been talked into it).
    const remote = await session.call('check_receiver', { url: 'https://example.com/hook' });
    expect(remote.isError).toBe(true);
    expect(remote.text).toMatch(/no webhook secret/);

    const huge = await session.call('verify_signature', { header: 't=1,v1=00', payload: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.isError).toBe(true);
    expect(huge.text).toMatch(/Input validation error.*payload/s);

    // Past the transport's limit the message is dropped, its request refused, the server still up.
    await expect(
      session.call('verify_signature', { header: 't=1,v1=00', payload: 'x'.repeat(9 * 1024 * 1024) }),
    ).rejects.toThrow(/request too large/);

    // A receiver that accepts anything is graded down, with a fix per case it got wrong.
    const lax = createServer((_req, res) => res.end('ok'));
    servers.push(lax);
    await new Promise<void>((resolve) => lax.listen(0, '127.0.0.1', resolve));
    const laxUrl = `http://127.0.0.1:${(lax.address() as AddressInfo).port}/hooks`;
    const graded = await session.call('check_receiver', { url: laxUrl, secret: given, event: 'render.completed' });
    expect(graded.value, graded.text).toMatchObject({ ok: false, signedWith: 'flag' });
    expect(graded.value.failed).toContainEqual(
      expect.objectContaining({ case: 'tampered body', fix: expect.stringMatching(/raw body bytes/) }),
    );

    const verified = await session.call('verify_signature', { header: 't=1,v1=00', payload: '{}', secret: given });
    expect(verified.value).toMatchObject({ valid: false });
    const catalogue = await session.call('list_event_types', { event: 'render.completed' });
    expect(catalogue.value[0]).toMatchObject({ name: 'render.completed', sample: { event: 'render.completed' } });

    const everything = [...session.traffic, session.stderr()].join('\n');
    expect(everything).not.toContain('whsec_');
    expect(everything).not.toContain('given_by_the_model');
    await closeSessions();
  });

  it('works in the profile given with --profile: its key and base url', { timeout: 30_000 }, async () => {
    const emulator = await startWithReadyFile(cli, ['emulator', '--port', '0'], dir);
    const config = { profiles: { work: { apiKey: API_KEY, baseUrl: emulator.url } } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const session = await startMcp({ PICTIFY_HOOKS_CONFIG_DIR: dir }, { args: [BIN, '--profile', 'work', 'mcp'] });
    sessions.push(session);
    const listed = await session.call('list_subscriptions', {});
    expect(listed.isError, listed.text).toBe(false);
    expect(listed.value.subscriptions).toEqual([]);
    expect(session.stderr()).toMatch(/profile "work"/);
    expect([...session.traffic, session.stderr()].join('\n')).not.toContain(API_KEY);
    await closeSessions();
  });

  it("verifies with the current API's stored secrets only, and records the API with a secret it stores", async () => {
    const emulator = await startWithReadyFile(cli, ['emulator', '--port', '0'], dir);
    const here = 'whsec_' + 'a'.repeat(32);
    const elsewhere = 'whsec_' + 'b'.repeat(32);
    const secrets = {
      wh_here: { secret: here, baseUrl: emulator.url },
      wh_elsewhere: { secret: elsewhere, baseUrl: 'http://127.0.0.1:9' },
    };
    const config = { profiles: { default: { apiKey: API_KEY, baseUrl: emulator.url, secrets } } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const session = await mcp();
    const body = JSON.stringify({ event: 'render.completed', data: {} });
    const t = Math.floor(Date.now() / 1000);
    const sign = (secret: string) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    const ours = await session.call('verify_signature', { header: sign(here), payload: body });
    expect(ours.value, ours.text).toMatchObject({ valid: true, matched: 'wh_here' });
    const theirs = await session.call('verify_signature', { header: sign(elsewhere), payload: body });
    expect(theirs.value, theirs.text).toMatchObject({ valid: false, reason: 'signature_mismatch' });

    const created = await session.call('create_subscription', {
      event: 'render.failed',
      targetUrl: 'http://127.0.0.1:9/x',
    });
    expect(created.isError, created.text).toBe(false);
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.default.secrets;
    expect(saved[created.value.subscription.uid]).toMatchObject({ baseUrl: emulator.url });
    await closeSessions();
  });

  it('exits 0 when its client closes stdin, with nothing on stdout', async () => {
    const finished = await cli.run(['mcp']);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toBe('');
    expect(finished.stderr).toMatch(/pictify-hooks mcp .* on stdio/);
  });
});
