// The inspector's HTTP server: one page, its static assets, a JSON API over the delivery index and a Server-Sent
// Events stream of new deliveries (routes.ts). Bound to 127.0.0.1 only; every request passes the guard first.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventRecord } from '../store/event-store-record.js';
import { InspectorApi } from './api.js';
import type { InspectorOptions, RunningInspector } from './options.js';
import { ReplayRefused } from './replay.js';
import { json } from './respond.js';
import { HOST, route, type Served } from './routes.js';
import { DeliveryStreams } from './stream.js';

export type { InspectorOptions, RunningInspector } from './options.js';

export async function startInspector(options: InspectorOptions): Promise<RunningInspector> {
  const streams = new DeliveryStreams();
  const publish = (record: EventRecord): void => {
    // While the store is indexed, new deliveries wait, so they come after every stored one, in order.
    const indexing = options.index.facts;
    if (indexing) return void indexing.catch(() => undefined).then(() => publish(record));
    const summary = options.index.add(record);
    if (summary) streams.push(summary);
  };
  // The open pages reload their filters and chart once every stored delivery's facts are read.
  void options.index.facts?.catch(() => undefined).then(() => streams.indexed());
  const served: Served = {
    port: options.port,
    token: options.token ?? randomBytes(24).toString('base64url'),
    api: new InspectorApi(options, publish),
    index: options.index,
    streams,
  };
  const server = createServer((req, res) => {
    route(req, res, served).catch((error: unknown) => {
      if (error instanceof ReplayRefused) return json(res, error.status, { error: error.code, message: error.message });
      json(res, 500, { error: 'internal_error', message: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Port 0 asked for a free one: the Host check and the links need the one it got.
  served.port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${served.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${served.token}`,
    origin,
    port: served.port,
    token: served.token,
    publish,
    close() {
      closed ??= new Promise<void>((resolve) => {
        streams.endAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
