// What listen has before its receiver starts: an old ready file gone, leftovers swept, the secrets it verifies
// with, the event store, and the delivery ids accepted before.
import { printable } from '../../text/printable.js';
import { WEBHOOK_SECRET_ENV, type SourcedSecret } from '../../signing/secret-source.js';
import { defaultStorePath, EventStore, openFailure } from '../../store/event-store.js';
import { claimsFromStore, type DeliveryClaims } from '../delivery-claims.js';
import { ListenError } from './errors.js';
import type { ListenHost } from './host.js';
import type { ListenOptions } from './options.js';
import { ListenSubscription } from './subscription.js';

export interface Prepared {
  tunnel: ListenSubscription | undefined;
  secrets: SourcedSecret[];
  refreshSecrets?: () => Promise<SourcedSecret[]>;
  /** Stored secrets not tried (replaced, or another API's): a rejection names the one that signs. */
  knownSecrets?: SourcedSecret[];
  knownNotTriedBecause?: string;
  refreshKnownSecrets?: () => Promise<SourcedSecret[]>;
  /** Stored secrets not verifying: replaced by PICTIFY_WEBHOOK_SECRET/--secret, or another API's. */
  leftOut?: { replaced: number; otherApis: number };
  storePath: string | null;
  store: EventStore | null;
  claims: DeliveryClaims;
}

export async function prepare(host: ListenHost, options: ListenOptions): Promise<Prepared> {
  // A ready file left by an earlier run must not tell a waiting script that this one is up already.
  if (options.readyFile) await host.readyFile.remove(options.readyFile);
  // Leftovers of a listen --subscribe that was killed (-9) are deleted first, by every listen.
  await host.sweepLeftovers();
  let tunnel: ListenSubscription | undefined;
  if (options.subscribe) {
    const flagSecrets = options.secrets ? await host.secrets.verifying(options.secrets) : [];
    tunnel = new ListenSubscription(host, options.subscribe, flagSecrets);
  }
  const listening = await listenSecrets(host, options, tunnel);
  const { secrets } = listening;
  for (const warning of host.secrets.warnings(secrets)) host.err(host.errStyle.yellow(warning));
  // The keys first: a store that cannot be read back is refused before anything is opened for writing.
  const storePath = storePathOf(host, options);
  const claims = await acceptedBefore(storePath);
  const store = await openStore(host, options, storePath);
  return { tunnel, ...listening, storePath, store, claims };
}

/**
 * What listen verifies with: --subscribe's self-test and flag secrets, else --secret or PICTIFY_WEBHOOK_SECRET,
 * else the profile's secrets, re-read while listening so `create` in another shell needs no restart.
 */
async function listenSecrets(
  host: ListenHost,
  options: ListenOptions,
  tunnel: ListenSubscription | undefined,
): Promise<
  Pick<
    Prepared,
    'secrets' | 'refreshSecrets' | 'knownSecrets' | 'knownNotTriedBecause' | 'refreshKnownSecrets' | 'leftOut'
  >
> {
  if (tunnel) return { secrets: tunnel.initialSecrets() };
  const fromProfile = (options.secrets ?? []).length === 0 && !host.env[WEBHOOK_SECRET_ENV];
  if (!fromProfile) {
    const secrets = await host.secrets.verifying(options.secrets);
    const knownSecrets = await host.secrets.untried(secrets);
    return { secrets, knownSecrets, leftOut: { replaced: knownSecrets.length, otherApis: 0 } };
  }
  const { api, current, otherApis } = await host.secrets.byApi();
  return {
    secrets: current,
    refreshSecrets: () => host.secrets.stored(),
    // A delivery signed with another API's secret (a subscription made with another --base-url) says so.
    knownSecrets: otherApis,
    knownNotTriedBecause: `it was kept for another API, and listen verifies with those of ${api} (its --base-url)`,
    refreshKnownSecrets: async () => (await host.secrets.byApi()).otherApis,
    leftOut: { replaced: 0, otherApis: otherApis.length },
  };
}

/** --store, else `<config dir>/events.jsonl`; null with --no-store. */
function storePathOf(host: ListenHost, options: ListenOptions): string | null {
  if (options.store === false) return null;
  return options.store ?? defaultStorePath(host.configDir());
}

/** The event store at `storePath` (none with --no-store). */
async function openStore(
  host: ListenHost,
  options: ListenOptions,
  storePath: string | null,
): Promise<EventStore | null> {
  if (storePath === null) return null;
  const e = host.errStyle;
  try {
    return await EventStore.open(storePath, {
      maxBytes: options.storeMaxBytes,
      durable: options.fsync,
      onUnavailable: (error) =>
        host.err(
          e.red(`store: ${printable(error.message)} — answering 500 (the sender will retry) until it can write again`),
        ),
      onRecovered: () => host.err(e.green(`store: writing to ${printable(storePath)} again`)),
    });
  } catch (error) {
    throw new ListenError(
      'store_unopenable',
      `cannot open the event store ${storePath}: ${openFailure(error, storePath)}`,
    );
  }
}

/** Pictify retries for a day: a restart of listen must not make a retry of an acknowledged delivery new again. */
async function acceptedBefore(storePath: string | null): Promise<DeliveryClaims> {
  try {
    return await claimsFromStore(storePath);
  } catch (error) {
    throw new ListenError(
      'store_unreadable',
      `cannot read the event store ${storePath}: ${openFailure(error, storePath ?? undefined)}`,
    );
  }
}
