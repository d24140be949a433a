// `listen --ui`: the inspector page beside the receiver.
import type { SourcedSecret } from '../../signing/secret-source.js';
import type { EventStore } from '../../store/event-store.js';
import { Router, type Route } from '../route.js';
import { ListenError } from './errors.js';
import type { ListenHost } from './host.js';

export type Inspector = Awaited<ReturnType<typeof import('../../inspector/index.js').openInspector>>;

/** `--ui`: the inspector over this listen's store, secrets and forward targets (only labels reach the page). */
export async function startInspector(
  host: ListenHost,
  options: { forwardTo?: string; toleranceSeconds?: number; forwardTimeoutMs: number },
  ui: { port: number; allowRemoteReplay: boolean },
  from: {
    storePath: string | null;
    store: EventStore | null;
    routes: Route[];
    secrets: () => Promise<SourcedSecret[]>;
  },
): Promise<Inspector> {
  // Only --ui loads the page and its assets.
  const { openInspector } = await import('../../inspector/index.js');
  const router = new Router(from.routes, options.forwardTo);
  const store = from.store;
  try {
    return await openInspector({
      port: ui.port,
      mode: 'listen',
      storePath: from.storePath,
      append: store ? (record) => store.append(record) : null,
      secrets: () => from.secrets().catch(() => []),
      knownSecrets: () => host.secrets.known(),
      forwardTarget: (event) => router.target(event),
      allowRemoteReplay: ui.allowRemoteReplay,
      toleranceSeconds: options.toleranceSeconds,
      replayTimeoutMs: options.forwardTimeoutMs,
    });
  } catch (error) {
    await store?.close();
    throw new ListenError('ui_bind_failed', (error as Error).message, { cause: error });
  }
}
