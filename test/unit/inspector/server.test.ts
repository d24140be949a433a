import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../../src/outbound/post.js';
import { verifySignature } from '../../../src/signing/index.js';
import { readEventStore } from '../../../src/store/event-store-read.js';
import { signedSample } from '../receiver/deliver.js';
import { call, OTHER_SECRET, SECRET, startBench, type Bench } from './support.js';
import { HOSTILE_HEADER, rawPost } from '../../helpers/hostile.js';
import { MAX_STREAMS } from '../../../src/inspector/stream.js';

let bench: Bench;
let base: string;
let auth: Record<string, string>;
/** Everything the API answered, to check that no secret ever leaves the process. */
let answered: string[];

async function api(path: string, options: Parameters<typeof call>[2] = {}) {
  const answer = await call(base, path, { ...options, headers: { ...auth, ...options.headers } });
  answered.push(answer.text);
  return answer;
}

async function deliver(
  event: Parameters<typeof signedSample>[0],
  options: Partial<Parameters<typeof signedSample>[1]> = {},
) {
  const request = signedSample(event, { secret: SECRET, nowMs: Date.now(), ...options });
  const result = await postDelivery(bench.receiver.url, request);
  return { request, result };
}

/** A signed delivery whose body was changed after signing (a value, or only its whitespace). */
async function deliverTampered(how: 'value' | 'whitespace' = 'value') {
  const request = signedSample('render.completed', { secret: SECRET, nowMs: Date.now() });
  const text = request.body.toString('utf8');
  request.body = Buffer.from(
    how === 'value' ? text.replace('https://', 'http://') : JSON.stringify(JSON.parse(text), null, 1),
  );
  return postDelivery(bench.receiver.url, request);
}

async function waitForStored(n: number) {
  for (let i = 0; i < 200; i++) {
    if (bench.inspector && (await api('/api/deliveries?limit=1')).json.stored >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`store never reached ${n}`);
}

beforeEach(async () => {
  bench = await startBench();
  base = bench.inspector.origin;
  auth = { 'x-inspector-token': bench.inspector.token, host: `127.0.0.1:${bench.inspector.port}` };
  answered = [];
});
afterEach(async () => {
  for (const text of answered) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(OTHER_SECRET);
  }
  await bench.close();
});

describe('inspector url and page', () => {
  it('serves on 127.0.0.1 with a per-run token in the url', async () => {
    expect(bench.inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    const page = await api(`/?token=${bench.inspector.token}`, { headers: { 'x-inspector-token': '' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<script type="module" src="/assets/app.js">');
    expect(page.text).not.toMatch(/<script>(?!<)/);
    expect(page.text).not.toMatch(/ style=/);
  });

  it('a page request without the token gets no data', async () => {
    await deliver('render.completed');
    const page = await call(base, '/', { headers: { host: auth.host } });
    expect(page.status).toBe(401);
    expect(page.text).toContain('?token=');
    expect(page.text).not.toContain('app.js');
  });
});

describe('guard', () => {
  it('refuses a Host that is not the loopback host:port it serves (DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${bench.inspector.port}`,
      '127.0.0.1:1',
      `[::1]:${bench.inspector.port}`,
    ]) {
      const answer = await call(base, '/api/deliveries', {
        headers: { 'x-inspector-token': bench.inspector.token, host },
      });
      expect(answer.status, host).toBe(403);
      expect(answer.json.error).toBe('forbidden_host');
    }
    const ok = await call(base, '/api/deliveries', {
      headers: { 'x-inspector-token': bench.inspector.token, host: `localhost:${bench.inspector.port}` },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses API reads without the token or with a wrong one', async () => {
    expect((await call(base, '/api/deliveries', { headers: { host: auth.host } })).status).toBe(401);
    const wrong = await call(base, '/api/deliveries', {
      headers: { host: auth.host, 'x-inspector-token': 'x'.repeat(32) },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('bad_token');
    expect((await call(base, '/api/stream', { headers: { host: auth.host } })).status).toBe(401);
  });

  it('a state-changing request needs the token header and a same-origin Origin', async () => {
    await deliver('render.completed');
    const [row] = (await api('/api/deliveries')).json.items;
    const path = `/api/deliveries/${row.id}/replay`;
    const origin = `http://127.0.0.1:${bench.inspector.port}`;
    const noOrigin = await api(path, { method: 'POST', body: { mode: 'resigned' } });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json.error).toBe('cross_origin');
    const evil = await api(path, {
      method: 'POST',
      body: { mode: 'resigned' },
      headers: { origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    const queryToken = await call(base, `${path}?token=${bench.inspector.token}`, {
      method: 'POST',
      body: { mode: 'resigned' },
      headers: { host: auth.host, origin },
    });
    expect(queryToken.status).toBe(401);
    expect(bench.app.requests).toHaveLength(1); // only the original forward: nothing was replayed
    const ok = await api(path, { method: 'POST', body: { mode: 'resigned' }, headers: { origin } });
    expect(ok.status).toBe(201);
    expect(bench.app.requests).toHaveLength(2);
  });
});

describe('list', () => {
  it('lists every stored delivery newest first, with verdict, status, forward result and latency', async () => {
    const first = await deliver('render.completed');
    const second = await deliver('batch.failed');
    await deliverTampered();
    await deliver('render.completed', { deliveryId: first.request.headers['x-pictify-delivery-id'] });
    await waitForStored(4);
    const page = (await api('/api/deliveries')).json;
    expect(page.total).toBe(4);
    expect(page.items.map((i: any) => i.kind)).toEqual(['duplicate', 'failed', 'ok', 'ok']);
    expect(page.items[1].reason).toBe('signature_mismatch');
    expect(page.items[1].status).toBe(401);
    expect(page.items[2]).toMatchObject({
      event: 'batch.failed',
      deliveryId: second.request.headers['x-pictify-delivery-id'],
      status: 200,
      forward: { url: `${bench.app.url}/hooks`, status: 200 },
    });
    expect(typeof page.items[2].forward.latencyMs).toBe('number');
    expect(page.items.map((i: any) => i.seq)).toEqual([3, 2, 1, 0]);
  });

  it('filters by event and verdict, searches delivery ids and bodies, and pages against a snapshot', async () => {
    const a = await deliver('render.completed');
    await deliver('batch.completed');
    await deliverTampered();
    await deliver('render.failed');
    await waitForStored(4);
    const ids = (q: string) => api(`/api/deliveries?${q}`).then((r) => r.json.items.map((i: any) => i.event));
    expect(await ids('event=render.completed')).toEqual(['render.completed', 'render.completed']);
    expect(await ids('verdict=failed')).toEqual(['render.completed']);
    expect(await ids('verdict=ok&event=render.completed,render.failed')).toEqual(['render.failed', 'render.completed']);
    expect(await ids(`q=${a.request.headers['x-pictify-delivery-id']}`)).toEqual(['render.completed']);
    expect(await ids('q=BATCH_')).toEqual(['batch.completed']); // body text, case-insensitive
    expect(await ids('q=nothing-matches-this')).toEqual([]);

    const snapshot = (await api('/api/deliveries?limit=2')).json;
    expect(snapshot.items).toHaveLength(2);
    await deliver('binding.updated');
    await waitForStored(5);
    const next = (await api(`/api/deliveries?limit=2&offset=2&until=${snapshot.until}`)).json;
    expect(next.total).toBe(4);
    expect(next.items.map((i: any) => i.seq)).toEqual([1, 0]);
  });

  it('gives a histogram of deliveries over time by verdict', async () => {
    await deliver('render.completed');
    await deliverTampered();
    await waitForStored(2);
    const h = (await api('/api/histogram')).json;
    const sum = (k: string) => h.buckets.reduce((n: number, b: any) => n + b[k], 0);
    expect(sum('ok')).toBe(1);
    expect(sum('failed')).toBe(1);
    expect(h.bucketMs).toBeGreaterThan(0);
    expect((await api('/api/histogram?verdict=ok')).json.buckets.reduce((n: number, b: any) => n + b.failed, 0)).toBe(
      0,
    );
  });
});

describe('detail', () => {
  it('shows redacted headers, the byte-exact body and the signature panel of a verified delivery', async () => {
    const request = signedSample('render.completed', { secret: SECRET, nowMs: Date.now() });
    request.headers.authorization = 'Bearer sk_live_do_not_show';
    await postDelivery(bench.receiver.url, request);
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const d = (await api(`/api/deliveries/${row.id}`)).json;
    expect(d.headers).toContainEqual(['authorization', '[redacted]']);
    expect(JSON.stringify(d)).not.toContain('sk_live_do_not_show');
    expect(d.body.raw).toBe(request.body.toString('utf8'));
    expect(d.body.encoding).toBe('utf8');
    expect(d.body.pretty).toBe(JSON.stringify(JSON.parse(request.body.toString('utf8')), null, 2));
    const header = request.headers['x-pictify-signature'];
    expect(d.signature).toMatchObject({
      header,
      timestamp: Number(/t=(\d+)/.exec(header)![1]),
      signatures: [/v1=([0-9a-f]{64})/.exec(header)![1]],
      matchedLabel: 'sub_main',
      findings: [],
    });
    expect(Math.abs(d.signature.skewSeconds)).toBeLessThanOrEqual(2);
    expect(d.forward).toMatchObject({ status: 200, answer: '{"ok":true,"from":"app"}' });
    expect(d.commands.curl).toContain(`-H 'X-Pictify-Signature: ${header}'`);
    expect(d.commands.send).toContain('pictify-hooks send --url');
    expect(d.commands.send).toContain('--subscription sub_main');
  });

  it('explains a failure with diagnose: tampered body, other subscription’s secret, stale timestamp', async () => {
    await deliverTampered('whitespace');
    await deliverTampered();
    await deliver('render.completed', { secret: OTHER_SECRET });
    await deliver('render.completed', { timestampOffsetS: -3600 });
    await waitForStored(4);
    const [stale, other, tampered, reserialized] = (await api('/api/deliveries')).json.items;
    const findings = async (id: string) => (await api(`/api/deliveries/${id}`)).json.signature;
    const t = await findings(tampered.id);
    expect(t.reason).toBe('signature_mismatch');
    expect(t.findings.map((f: any) => f.code)).toEqual(['unexplained_mismatch']);
    expect((await findings(reserialized.id)).findings.map((f: any) => f.code)).toEqual(['payload_reserialized']);
    const o = await findings(other.id);
    expect(o.findings).toEqual([expect.objectContaining({ code: 'other_secret_matches' })]);
    expect(o.findings[0].message).toContain('sub_other');
    const s = await findings(stale.id);
    expect(s.reason).toBe('timestamp_too_old');
    expect(s.skewSeconds).toBeGreaterThanOrEqual(3599);
    expect(s.findings[0].code).toBe('timestamp_too_old');
  });

  it('keeps a non-UTF-8 body as base64, byte for byte', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    await postDelivery(
      bench.receiver.url,
      signedSample('render.completed', { secret: SECRET, nowMs: Date.now(), body: bytes }),
    );
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const d = (await api(`/api/deliveries/${row.id}`)).json;
    expect(d.body.encoding).toBe('base64');
    expect(Buffer.from(d.body.raw, 'base64').equals(bytes)).toBe(true);
    expect(d.body.pretty).toBeUndefined();
  });

  it('diffs against the previous delivery of the same event type', async () => {
    await deliver('render.completed');
    await deliver('batch.completed');
    await deliver('render.completed');
    await waitForStored(3);
    const [latest, batch, first] = (await api('/api/deliveries')).json.items;
    const diff = (await api(`/api/deliveries/${latest.id}/diff`)).json;
    expect(diff.previousId).toBe(first.id);
    const changed = diff.lines.filter((l: any) => l.op !== 'same');
    expect(changed.some((l: any) => l.op === 'removed' && l.text.includes(first.deliveryId))).toBe(true);
    expect(changed.some((l: any) => l.op === 'added' && l.text.includes(latest.deliveryId))).toBe(true);
    expect((await api(`/api/deliveries/${batch.id}/diff`)).json).toEqual({ previousId: null, lines: [] });
    expect((await api('/api/deliveries/evt_nope/diff')).status).toBe(404);
  });
});

describe('live stream', () => {
  it('pushes a new delivery to an open stream within a second', async () => {
    const events: string[] = [];
    const req = httpRequest(`${base}/api/stream?token=${bench.inspector.token}`, { headers: { host: auth.host } });
    const opened = new Promise<void>((resolve) =>
      req.on('response', (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.on('data', (c: Buffer) => {
          events.push(c.toString());
          resolve();
        });
      }),
    );
    req.end();
    await opened;
    const started = Date.now();
    const { request } = await deliver('render.completed');
    while (!events.join('').includes('event: delivery') && Date.now() - started < 1000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    req.destroy();
    const frame = events
      .join('')
      .split('\n\n')
      .find((f) => f.startsWith('event: delivery'));
    expect(frame).toBeDefined();
    expect(JSON.parse(frame!.split('data: ')[1])).toMatchObject({
      deliveryId: request.headers['x-pictify-delivery-id'],
      kind: 'ok',
    });
  });
});

describe('live stream cap', () => {
  /** Opens a stream; resolves with its status once the answer's head (and, for a refusal, its body) is in. */
  function openStream(): Promise<{ status: number; body: string; req: ReturnType<typeof httpRequest> }> {
    const req = httpRequest(`${base}/api/stream?token=${bench.inspector.token}`, { headers: { host: auth.host } });
    return new Promise((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        if (res.statusCode === 200) return resolve({ status: 200, body: '', req });
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, req }));
      });
      req.end();
    });
  }

  it(`takes ${MAX_STREAMS} pages at once; the next gets 503 too_many_streams until one closes`, async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS; i++) open.push(await openStream());
    expect(open.map((s) => s.status)).toEqual(Array(MAX_STREAMS).fill(200));
    const refused = await openStream();
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'too_many_streams',
      message: `${MAX_STREAMS} live streams are open already (one per open inspector page): close a page to follow deliveries live here`,
    });
    // The rest of the API still answers, and the open streams still get deliveries.
    expect((await api('/api/info')).status).toBe(200);
    // A page closes: its place is free again (once the server has seen the close), and only its place.
    open.pop()!.req.destroy();
    let replaced = await openStream();
    for (let i = 0; i < 100 && replaced.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 10));
      replaced = await openStream();
    }
    open.push(replaced);
    expect(replaced.status).toBe(200);
    expect((await openStream()).status).toBe(503);
    for (const s of open) s.req.destroy();
  });
});

describe('replay', () => {
  const origin = () => ({ origin: `http://127.0.0.1:${bench.inspector.port}` });

  it('answers 400 with a reason, not a 500, for a JSON null request and for CR/LF in an edited event or id', async () => {
    await deliver('render.completed');
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const replay = (body: unknown) =>
      api(`/api/deliveries/${row.id}/replay`, { method: 'POST', body, headers: origin() });
    for (const body of [null, 'resigned', [1]]) {
      expect(await replay(body).then((a) => [a.status, a.json])).toEqual([
        400,
        { error: 'invalid_request', message: 'the request body must be a JSON object' },
      ]);
    }
    const source = JSON.parse((await api(`/api/deliveries/${row.id}`)).json.body.raw);
    const withEvent = JSON.stringify({ ...source, event: 'render.completed\r\nX-Injected: 1' });
    const event = await replay({ mode: 'resigned', body: withEvent });
    expect(event.status).toBe(400);
    expect(event.json).toEqual({
      error: 'invalid_header_value',
      message:
        'the edited x-pictify-event header: the x-pictify-event header value contains a control character ' +
        '(U+000D at 16): it cannot be sent as it is',
    });
    const withId = JSON.stringify({ ...source, data: { ...source.data, deliveryId: 'del_x\nX-Injected: 1' } });
    const id = await replay({ mode: 'resigned', body: withId });
    expect([id.status, id.json.error]).toEqual([400, 'invalid_header_value']);
    expect(id.json.message).toContain('x-pictify-delivery-id header value contains a control character (U+000A at 5)');
    expect(bench.app.requests).toHaveLength(1); // nothing was sent
  });

  it('a stored X-Pictify-Event holding U+009B: 400, it cannot be replayed as it is (re-signed or as-is)', async () => {
    const request = signedSample('render.completed', { secret: SECRET, nowMs: Date.now() });
    const headers = { ...request.headers, 'x-pictify-event': `render.completed${HOSTILE_HEADER}` };
    delete (headers as Record<string, string>)['content-length'];
    expect((await rawPost(bench.receiver.url, { headers, body: request.body })).status).toBe(200);
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    for (const mode of ['resigned', 'as-is']) {
      const answer = await api(`/api/deliveries/${row.id}/replay`, {
        method: 'POST',
        body: { mode },
        headers: origin(),
      });
      expect([mode, answer.status, answer.json.error]).toEqual([mode, 400, 'invalid_header_value']);
      expect(answer.json.message).toBe(
        'the stored x-pictify-event header: the x-pictify-event header value contains a control character ' +
          '(U+009B at 20): it cannot be sent as it is',
      );
    }
    expect(bench.app.requests).toHaveLength(1);
  });

  it('the raw body is shown with bidi and control characters escaped; raw stays byte-exact', async () => {
    const event = JSON.parse(signedSample('render.completed', { nowMs: Date.now() }).body.toString('utf8'));
    event.data.note = '\u202e0001$ \u001b[2J';
    const body = JSON.stringify(event); // U+202E stays a raw character in JSON text
    expect(body).toContain('\u202e');
    await deliver('render.completed', { body });
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const detail = (await api(`/api/deliveries/${row.id}`)).json;
    expect(detail.body.raw).toBe(body);
    expect(detail.body.visible).toBe(body.replace('\u202e', '\\u202e'));
    expect(detail.body.visible).not.toMatch(/[\u202e\u001b]/);
    expect(detail.body.visible).toContain('"note":"\\u202e0001$ \\u001b[2J"');
    expect(detail.body.pretty).toContain('"note": "\\u202e0001$ \\u001b[2J"');
    expect(JSON.parse(detail.body.pretty)).toEqual(event);
  });

  it('re-signs and sends to the forward target; the answer is stored, linked to the source', async () => {
    const { request } = await deliver('render.completed');
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const answer = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned' },
      headers: origin(),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.delivery).toMatchObject({ replayOf: row.id, edited: false, kind: 'ok', status: 200 });
    const sent = bench.app.requests[1];
    expect(sent.body.equals(request.body)).toBe(true);
    expect(sent.headers['x-pictify-delivery-id']).toBe(request.headers['x-pictify-delivery-id']);
    expect(
      verifySignature({ payload: sent.body, header: sent.headers['x-pictify-signature'], secrets: SECRET }),
    ).toMatchObject({ ok: true });
    const stored = (await readEventStore(bench.storeFile)).records;
    expect(stored).toHaveLength(2);
    expect(stored[1]).toMatchObject({
      replay: { of: row.id, mode: 'resigned', edited: false },
      forward: { status: 200 },
    });
    expect((await api('/api/deliveries')).json.items[0].id).toBe(stored[1].id);
  });

  it('as-is resends the stored signature untouched', async () => {
    const { request } = await deliver('render.completed');
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    await api(`/api/deliveries/${row.id}/replay`, { method: 'POST', body: { mode: 'as-is' }, headers: origin() });
    expect(bench.app.requests[1].headers['x-pictify-signature']).toBe(request.headers['x-pictify-signature']);
  });

  it('edit and replay sends the edited JSON, validly signed, as a new delivery', async () => {
    await deliver('render.completed');
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const d = (await api(`/api/deliveries/${row.id}`)).json;
    const edited = JSON.parse(d.body.raw);
    edited.data.width = 4242;
    edited.data.deliveryId = 'del_edited000000000000000001';
    const body = JSON.stringify(edited, null, 2);
    const answer = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned', body },
      headers: origin(),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.delivery).toMatchObject({
      replayOf: row.id,
      edited: true,
      kind: 'ok',
      deliveryId: 'del_edited000000000000000001',
    });
    const sent = bench.app.requests[1];
    expect(sent.body.toString('utf8')).toBe(body);
    expect(JSON.parse(sent.body.toString('utf8')).data.width).toBe(4242);
    expect(sent.headers['x-pictify-delivery-id']).toBe('del_edited000000000000000001');
    expect(
      verifySignature({ payload: sent.body, header: sent.headers['x-pictify-signature'], secrets: SECRET }),
    ).toMatchObject({ ok: true, matchedSecretIndex: 0 });
    const bad = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned', body: '{nope' },
      headers: origin(),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_json');
  });

  it('sends to a typed loopback URL, and refuses other hosts without --allow-remote-replay', async () => {
    await deliver('render.completed');
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const typed = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned', target: `${bench.app.url}/typed` },
      headers: origin(),
    });
    expect(typed.status).toBe(201);
    expect(bench.app.requests[1].url).toBe('/typed');
    const remote = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned', target: 'https://example.com/hooks' },
      headers: origin(),
    });
    expect(remote.status).toBe(403);
    expect(remote.json.error).toBe('remote_target');
    expect(remote.json.message).toContain('--allow-remote-replay');
  });

  it('will not re-sign a delivery that never verified unless a secret is chosen', async () => {
    await deliverTampered();
    await waitForStored(1);
    const [row] = (await api('/api/deliveries')).json.items;
    const refused = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned' },
      headers: origin(),
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe('no_secret');
    const chosen = await api(`/api/deliveries/${row.id}/replay`, {
      method: 'POST',
      body: { mode: 'resigned', secretLabel: 'sub_main' },
      headers: origin(),
    });
    expect(chosen.status).toBe(201);
    expect(chosen.json.delivery.kind).toBe('ok');
  });
});

describe('read-only (inspect)', () => {
  it('browses the store, follows appends made by another writer, and refuses to replay', async () => {
    const ro = await startBench({ mode: 'inspect' });
    try {
      await postDelivery(ro.receiver.url, signedSample('render.completed', { secret: SECRET, nowMs: Date.now() }));
      const headers = { 'x-inspector-token': ro.inspector.token, host: `127.0.0.1:${ro.inspector.port}` };
      // Nothing publishes to an inspect-mode index: the delivery arrives through the file tail.
      let page: any;
      for (let i = 0; i < 100; i++) {
        page = (await call(ro.inspector.origin, '/api/deliveries', { headers })).json;
        if (page.total === 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(page.total).toBe(1);
      const info = (await call(ro.inspector.origin, '/api/info', { headers })).json;
      expect(info).toMatchObject({ mode: 'inspect', readOnly: true, store: ro.storeFile, secretLabels: ['sub_main'] });
      const refused = await call(ro.inspector.origin, `/api/deliveries/${page.items[0].id}/replay`, {
        method: 'POST',
        body: { mode: 'resigned' },
        headers: { ...headers, origin: ro.inspector.origin },
      });
      expect(refused.status).toBe(409);
      expect(refused.json.error).toBe('read_only');
      expect(ro.app.requests).toHaveLength(1);
    } finally {
      await ro.close();
    }
  });

  it('reads a store left by a listen that is not running', async () => {
    await deliver('render.completed');
    await deliver('batch.completed');
    await bench.store.flush();
    const lines = readFileSync(bench.storeFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const ro = await startBench({ mode: 'inspect' });
    try {
      const { copyFileSync } = await import('node:fs');
      copyFileSync(bench.storeFile, ro.storeFile);
      await new Promise((r) => setTimeout(r, 600));
      const headers = { 'x-inspector-token': ro.inspector.token, host: `127.0.0.1:${ro.inspector.port}` };
      const page = (await call(ro.inspector.origin, '/api/deliveries', { headers })).json;
      expect(page.items.map((i: any) => i.event)).toEqual(['batch.completed', 'render.completed']);
    } finally {
      await ro.close();
    }
  });
});
