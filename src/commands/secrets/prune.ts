// `secrets prune`: forgets stored secrets whose subscription is gone. Asked of the current API, one GET per secret
// (a 404 is gone; any other failure stops the prune before anything is removed). Secrets kept for another API are
// not checked — that API may be an emulator long since stopped — and go only with --other-apis, as gh removes no
// more than it was asked to.
import type { Context } from '../../cli/context.js';
import { present, presentNote } from '../../cli/present.js';
import { existingProfile } from '../../cli/profiles.js';
import { ApiError } from '../../errors.js';
import { currentApi } from '../shared/resolve-secrets.js';
import type { PruneOptions } from './flags.js';

interface Pruned {
  uid: string;
  event: string | null;
  /** `gone`: the current API answered 404; `other-api`: kept for the API at `baseUrl`. */
  reason: 'gone' | 'other-api';
  baseUrl: string;
}

export async function runPrune(ctx: Context, options: PruneOptions): Promise<void> {
  const profile = await existingProfile(ctx);
  const config = await ctx.config();
  const api = await currentApi(ctx);
  const stored = Object.entries(config.secrets(profile));
  const pruned: Pruned[] = [];
  let otherApisKept = 0;
  let client: Awaited<ReturnType<Context['api']>> | undefined;
  try {
    for (const [uid, s] of stored) {
      const event = s.event ?? null;
      if (s.baseUrl !== undefined && s.baseUrl !== api) {
        if (options.otherApis) pruned.push({ uid, event, reason: 'other-api', baseUrl: s.baseUrl });
        else otherApisKept += 1;
        continue;
      }
      client ??= await ctx.api();
      if (await isGone(client, uid)) pruned.push({ uid, event, reason: 'gone', baseUrl: api });
    }
  } finally {
    await client?.close();
  }
  if (!options.dryRun) for (const p of pruned) config.removeSecret(profile, p.uid);

  const verb = options.dryRun ? 'would remove' : 'removed';
  present(
    ctx,
    { dryRun: options.dryRun, api, removed: pruned, kept: stored.length - pruned.length, otherApisKept },
    (d) =>
      d.removed.map(
        (p) =>
          `${verb} ${p.uid}${p.event ? ` (${p.event})` : ''}: ` +
          (p.reason === 'gone' ? `no such subscription at ${p.baseUrl}` : `kept for another API, ${p.baseUrl}`),
      ),
  );
  presentNote(ctx, null, () => {
    const n = pruned.length;
    const what = `${n} ${n === 1 ? 'secret' : 'secrets'}`;
    const head = options.dryRun ? `Dry run: ${what} would be removed` : `Removed ${what}`;
    const others = otherApisKept > 0 ? ` (${otherApisKept} of other APIs, not checked: --other-apis removes them)` : '';
    return `${head}, ${stored.length - n} kept in profile "${profile}"${others}.`;
  });
}

async function isGone(client: Awaited<ReturnType<Context['api']>>, uid: string): Promise<boolean> {
  try {
    await client.getSubscription(uid);
    return false;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return true;
    throw error;
  }
}
