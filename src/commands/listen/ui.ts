// `listen --ui`: the inspector page beside the receiver.
import type { Context } from '../../cli/context.js';
import type { SourcedSecret } from '../../signing/secret-source.js';
import { uiBindFailure } from '../shared/bind-failure.js';
import { knownSecrets } from '../shared/resolve-secrets.js';

/** `--ui`: the inspector over this listen's store, secrets and forward targets (only labels reach the page). */
export async function startUi(
  ctx: Context,
  options: { forwardTo?: string; toleranceSeconds?: number; forwardTimeoutMs: number },
  ui: { port: number; allowRemoteReplay: boolean },
  from: {
    storePath: string | null;
    store: import('../../store/event-store.js').EventStore | null;
    routes: import('../../receiver/route.js').Route[];
    secrets: () => Promise<SourcedSecret[]>;
  },
) {
  const [{ openInspector }, { Router }] = await Promise.all([
    import('../../inspector/index.js'),
    import('../../receiver/route.js'),
  ]);
  const router = new Router(from.routes, options.forwardTo);
  const store = from.store;
  try {
    return await openInspector({
      port: ui.port,
      mode: 'listen',
      storePath: from.storePath,
      append: store ? (record) => store.append(record) : null,
      secrets: () => from.secrets().catch(() => []),
      knownSecrets: () => knownSecrets(ctx),
      forwardTarget: (event) => router.target(event),
      allowRemoteReplay: ui.allowRemoteReplay,
      toleranceSeconds: options.toleranceSeconds,
      replayTimeoutMs: options.forwardTimeoutMs,
    });
  } catch (error) {
    await store?.close();
    throw uiBindFailure(error, ui.port);
  }
}
