// Test bench for the inspector: a real receiver writing a real store, a throwaway app behind it, and the inspector
// over that store, all on 127.0.0.1 port 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInspector, type OpenedInspector } from '../../../src/inspector/index.js';
import { startReceiver, type RunningReceiver } from '../../../src/receiver/index.js';
import { EventStore } from '../../../src/store/event-store.js';
import { startApp, type AppServer } from '../receiver/deliver.js';
import { subscriptionSource, type SourcedSecret } from '../../../src/signing/secret-source.js';

export const SECRET = 'whsec_inspector_secret_0123456789';
export const OTHER_SECRET = 'whsec_other_subscription_secret_99';

export interface Bench {
  dir: string;
  storeFile: string;
  store: EventStore;
  app: AppServer;
  receiver: RunningReceiver;
  inspector: OpenedInspector;
  close(): Promise<void>;
}

export async function startBench(
  options: { mode?: 'listen' | 'inspect'; allowRemoteReplay?: boolean; token?: string } = {},
): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'inspector-'));
  const storeFile = join(dir, 'events.jsonl');
  const store = await EventStore.open(storeFile);
  const app = await startApp(() => ({ status: 200, body: '{"ok":true,"from":"app"}' }));
  const secrets: SourcedSecret[] = [{ secret: SECRET, source: subscriptionSource('sub_main') }];
  const known: SourcedSecret[] = [...secrets, { secret: OTHER_SECRET, source: subscriptionSource('sub_other') }];
  const late: { inspector?: OpenedInspector } = {};
  const receiver = await startReceiver({
    port: 0,
    secrets,
    store,
    forwardTo: app.url + '/hooks',
    // inspect follows the file instead, as it would a listen running in another process.
    onDelivery: (record) => (options.mode === 'inspect' ? undefined : late.inspector?.publish(record)),
  });
  const inspector = await openInspector({
    port: 0,
    mode: options.mode ?? 'listen',
    storePath: storeFile,
    append: (record) => store.append(record),
    secrets: async () => secrets,
    knownSecrets: async () => known,
    forwardTarget: () => app.url + '/hooks',
    allowRemoteReplay: options.allowRemoteReplay,
    token: options.token,
    follow: options.mode === 'inspect',
  });
  late.inspector = inspector;
  const opened = inspector;
  return {
    dir,
    storeFile,
    store,
    app,
    receiver,
    inspector: opened,
    async close() {
      await opened.close();
      await receiver.close();
      await store.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** A raw request with exactly the headers given (undici/fetch would set Host and Origin themselves). */
export function call(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
