// The inspector in real Chromium against the built CLI: `listen --ui` receiving from `pictify-hooks send`, and
// `inspect` over a 10,000-delivery store. Screenshots of the list and a detail land in test/browser/artifacts/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../src/signing/index.js';
import { Cli, startWithReadyFile, waitFor, type Running } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startApp, type AppServer } from '../unit/receiver/deliver.js';
import { writeLargeStore } from './store-fixture.js';
import { ARTIFACTS, HAS_BROWSER, launch, NOT_RUN_MESSAGE } from './support.js';

const SECRET = 'whsec_browser_suite_secret_42';

if (!HAS_BROWSER) console.warn(NOT_RUN_MESSAGE);
const suite = HAS_BROWSER ? describe : describe.skip;

suite('inspector in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let cleanup: () => void;
  let cli: Cli;
  let app: AppServer;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    ({ dir, cleanup } = tempConfigDir());
    cli = new Cli({ PICTIFY_HOOKS_CONFIG_DIR: dir });
    app = await startApp(() => ({ status: 200, body: '{"handled":true}' }));
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });
  afterEach(async () => {
    await page.close();
    cli.killAll();
    await app.close();
    cleanup();
  });

  /** `listen --ui` with a forward target; returns listen's url and the inspector link from its Ready lines. */
  async function startListenUi(extra: string[] = []): Promise<{ listen: Running & { url: string }; ui: string }> {
    const listen = await startWithReadyFile(
      cli,
      [
        'listen',
        '--port',
        '0',
        '--ui',
        '--ui-port',
        '0',
        '--secret',
        SECRET,
        '--forward-to',
        `${app.url}/hooks`,
        ...extra,
      ],
      dir,
    );
    const ui = await waitFor(
      () => /inspector: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(listen.stderr())?.[1],
      'the inspector link',
    );
    return { listen, ui };
  }

  async function open(url: string) {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
  }

  const rows = () => page.locator('#rows .row');
  const row = (text: string) => page.locator('#rows .row', { hasText: text });

  async function send(listenUrl: string, args: string[]) {
    const result = await cli.run(['send', '--url', listenUrl, '--secret', SECRET, ...args]);
    expect(result.code, result.stderr).toBe(0);
    return result;
  }

  it('a delivery sent with `pictify-hooks send` appears live, within a second', async () => {
    const { listen, ui } = await startListenUi();
    expect(listen.stderr()).toMatch(/inspector: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await open(ui);
    expect(await rows().count()).toBe(0);
    await send(listen.url, ['render.completed', '--delivery-id', 'del_live_000000000000000001']);
    const sentAt = Date.now();
    await row('del_live_000000000000000001').waitFor({ timeout: 1000 });
    const appearedMs = Date.now() - sentAt;
    expect(await row('del_live_000000000000000001').textContent()).toContain('✓');
    expect(await row('del_live_000000000000000001').textContent()).toContain('→ 200');
    expect(appearedMs).toBeLessThan(1000);
    // The token left the address bar once the page had it.
    expect(page.url()).not.toContain('token=');
  });

  it('the detail of a tampered delivery shows signature_mismatch and the diagnosis', async () => {
    const { listen, ui } = await startListenUi();
    await open(ui);
    // Signed over the compact body, delivered re-serialised: what a JSON-parsing proxy does.
    const compact = JSON.stringify({
      event: 'render.completed',
      timestamp: new Date().toISOString(),
      data: { renderId: 'r_1' },
    });
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const payloadFile = join(dir, 'pretty.json');
    writeFileSync(payloadFile, pretty);
    const header = signPayload({ payload: compact, secret: SECRET });
    await cli.run([
      'send',
      '--url',
      listen.url,
      '--secret',
      SECRET,
      '--payload',
      `@${payloadFile}`,
      '--delivery-id',
      'del_tampered_0000000000001',
      '--header',
      `X-Pictify-Signature: ${header}`,
      '--expect',
      '401',
    ]);
    await send(listen.url, ['batch.completed']);
    await row('del_tampered_0000000000001').waitFor();
    expect(await row('del_tampered_0000000000001').textContent()).toContain('✗ signature_mismatch');
    await page.screenshot({ path: join(ARTIFACTS, 'list.png') });
    await row('del_tampered_0000000000001').click();
    await page.waitForSelector('#findings');
    expect(await page.textContent('#d-verdict')).toContain('signature_mismatch');
    const findings = await page.textContent('#findings');
    expect(findings).toContain('payload_reserialized');
    const signature = await page.textContent('#signature');
    expect(signature).toContain(header.split('v1=')[1]);
    expect(signature).toContain('clock skew');
    // Payload text is text: the body pane shows it verbatim, no HTML was made of it.
    expect(await page.textContent('#body')).toBe(pretty);
    await page.screenshot({ path: join(ARTIFACTS, 'detail.png') });
    const html = await page.content();
    expect(html).not.toContain(SECRET);
  });

  it('bidi and control characters in a body are shown as visible escapes, raw and pretty', async () => {
    const { listen, ui } = await startListenUi();
    await open(ui);
    // A note that reads "$1000" once a right-to-left override reorders it.
    const body = JSON.stringify({
      event: 'render.completed',
      timestamp: new Date().toISOString(),
      data: { renderId: 'r_bidi', note: '\u202e0001$ \u2066x\u2069 \u0085' },
    });
    const payloadFile = join(dir, 'bidi.json');
    writeFileSync(payloadFile, body);
    await send(listen.url, ['--payload', `@${payloadFile}`, '--delivery-id', 'del_bidi_00000000000000001']);
    await row('del_bidi_00000000000000001').click();
    await page.waitForSelector('#body');
    const pretty = (await page.textContent('#body'))!;
    expect(pretty).toContain('"note": "\\u202e0001$ \\u2066x\\u2069 \\u0085"');
    await page.click('.tabs button[data-view="raw"]');
    const raw = (await page.textContent('#body'))!;
    expect(raw).toContain('"note":"\\u202e0001$ \\u2066x\\u2069 \\x85"');
    for (const text of [pretty, raw]) expect(text).not.toMatch(/[\u202e\u2066\u2069\u0085]/);
  });

  it('replay adds a new row answered by the forward target', async () => {
    const { listen, ui } = await startListenUi();
    await open(ui);
    await send(listen.url, ['render.completed', '--delivery-id', 'del_replay_00000000000000001']);
    await row('del_replay_00000000000000001').click();
    await page.click('#replay-resigned');
    await page.waitForSelector('#replay-link');
    expect(await page.textContent('#action-result')).toContain('answered 200');
    await waitFor(() => app.requests.length === 2 || undefined, 'the replay at the app');
    expect(app.requests[1].headers['x-pictify-delivery-id']).toBe('del_replay_00000000000000001');
    expect(() =>
      verifySignature({
        payload: app.requests[1].body,
        header: app.requests[1].headers['x-pictify-signature'],
        secrets: SECRET,
      }),
    ).not.toThrow();
    await expect.poll(() => row('del_replay_00000000000000001').count()).toBe(2);
    const replayed = rows().first();
    expect(await replayed.textContent()).toContain('↻');
    expect(await replayed.textContent()).toContain('→ 200');
  });

  it('edit and replay: the app receives the edited body, validly signed', async () => {
    const { listen, ui } = await startListenUi();
    await open(ui);
    await send(listen.url, ['render.completed', '--delivery-id', 'del_edit_0000000000000000001']);
    await row('del_edit_0000000000000000001').click();
    await page.click('#edit-replay');
    const template = JSON.parse(await page.inputValue('#editor'));
    expect(template.data.deliveryId).not.toBe('del_edit_0000000000000000001');
    template.data.width = 999;
    await page.fill('#editor', JSON.stringify(template, null, 2));
    await page.click('#send-edited');
    await page.waitForSelector('#replay-link');
    await waitFor(() => app.requests.length === 2 || undefined, 'the edited delivery at the app');
    const received = app.requests[1];
    expect(JSON.parse(received.body.toString('utf8')).data.width).toBe(999);
    expect(received.headers['x-pictify-delivery-id']).toBe(template.data.deliveryId);
    expect(
      verifySignature({ payload: received.body, header: received.headers['x-pictify-signature'], secrets: SECRET })
        .timestamp,
    ).toBeGreaterThan(0);
    await row(template.data.deliveryId).waitFor();
    expect(await row(template.data.deliveryId).textContent()).toContain('✎');
  });

  it('filters and search narrow the list', async () => {
    const { listen, ui } = await startListenUi();
    await open(ui);
    await send(listen.url, ['render.completed', 'batch.completed', 'render.failed']);
    await cli.run(['send', 'render.completed', '--url', listen.url, '--secret', 'whsec_wrong', '--expect', '401']);
    await send(listen.url, ['binding.updated', '--delivery-id', 'del_findme_0000000000000001']);
    await expect.poll(() => rows().count()).toBe(5);
    await page.selectOption('#f-event', 'render.completed');
    await expect.poll(() => rows().count()).toBe(2);
    await page.selectOption('#f-verdict', 'failed');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('signature_mismatch');
    await page.selectOption('#f-event', '');
    await page.selectOption('#f-verdict', '');
    await page.fill('#f-search', 'findme');
    // One poll for both: the one failed row of the filter before also counts 1 until the search has been applied.
    await expect
      .poll(async () => (await rows().allTextContents()).map((text) => text.includes('binding.updated')))
      .toEqual([true]);
    await page.fill('#f-search', '');
    await expect.poll(() => rows().count()).toBe(5);
  });

  it('refuses a rebinding Host (evil.example) and a request without the token', async () => {
    const { ui } = await startListenUi();
    const url = new URL(ui);
    const evil = await page.goto(`http://evil.example:${url.port}/?token=${url.searchParams.get('token')}`);
    expect(evil?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('forbidden_host');
    const noToken = await page.goto(`${url.origin}/`);
    expect(noToken?.status()).toBe(401);
    expect(await page.locator('#rows').count()).toBe(0);
    const api = await page.evaluate(async () => (await fetch('/api/deliveries')).status);
    expect(api).toBe(401);
  });

  it('10,000 stored deliveries load and scroll; time to first paint and to filter are measured', async () => {
    const storeFile = join(dir, 'big.jsonl');
    const records = writeLargeStore(storeFile, 10_000, SECRET);
    const inspect = await startWithReadyFile(cli, ['inspect', '--store', storeFile, '--ui-port', '0'], dir);
    const started = Date.now();
    await open(inspect.url);
    const firstPaintMs = await page.evaluate(() => performance.getEntriesByName('inspector:first-paint')[0].startTime);
    const wallMs = Date.now() - started;
    expect(await page.textContent('#count')).toBe('10000 stored');
    expect(await rows().first().textContent()).toContain(records[records.length - 1].deliveryId!);
    expect(await rows().count()).toBeLessThan(100); // virtualised: only what is on screen is in the DOM

    const filterTimes: Record<string, number> = {};
    const measureFilter = async (name: string, action: () => Promise<void>) => {
      const before = await page.evaluate(() => document.body.dataset.filtered ?? '');
      await action();
      await page.waitForFunction((b) => (document.body.dataset.filtered ?? '') !== b, before);
      filterTimes[name] = await page.evaluate(() => {
        const start = performance.getEntriesByName('inspector:filter-start').at(-1)!.startTime;
        const done = performance.getEntriesByName('inspector:filter-done').at(-1)!.startTime;
        return done - start;
      });
    };
    await measureFilter('verdict=failed', () => page.selectOption('#f-verdict', 'failed').then(() => undefined));
    expect(await page.textContent('#matching')).toBe('200 matching');
    await measureFilter('event=batch.failed', () =>
      page.selectOption('#f-event', 'batch.failed').then(() => undefined),
    );
    await page.selectOption('#f-verdict', '');
    await page.selectOption('#f-event', '');
    await expect.poll(() => page.textContent('#matching')).toBe('');
    await measureFilter('search body text', () => page.fill('#f-search', records[1234].deliveryId!));
    expect(await rows().count()).toBe(1);
    await measureFilter('clear search', () => page.fill('#f-search', ''));

    // Scroll to the very end: the oldest delivery is drawn there.
    await page.evaluate(() => {
      const v = document.getElementById('viewport')!;
      v.scrollTop = v.scrollHeight;
    });
    await row(records[0].deliveryId!).waitFor();
    await page.evaluate(() => {
      const v = document.getElementById('viewport')!;
      v.scrollTop = v.scrollHeight / 2;
    });
    await row(records[5000].deliveryId!).or(row(records[4999].deliveryId!)).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'list-10000.png') });

    const figures = {
      deliveries: 10_000,
      firstPaintMs: Math.round(firstPaintMs),
      openToReadyWallMs: wallMs,
      filterMs: filterTimes,
    };
    writeFileSync(join(ARTIFACTS, 'perf-10000.json'), JSON.stringify(figures, null, 2));
    console.log(`inspector with 10,000 deliveries: ${JSON.stringify(figures)}`);
    expect(firstPaintMs).toBeLessThan(5000);
    for (const ms of Object.values(filterTimes)) expect(ms).toBeLessThan(1000);
  }, 90_000);
});
