// `cleanup`: deletes the temporary subscriptions a `listen --subscribe` left behind when it was killed (-9, a
// crash, a closed laptop): those whose listen no longer runs on this host. A live listen's are left alone, and so
// are another host's (its pids mean nothing here). listen runs the same sweep quietly when it starts.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Context } from '../../cli/context.js';
import { FailureError } from '../../cli/errors.js';
import { errStyle } from '../shared/styles.js';
import { profileName } from '../shared/profile-name.js';
import { present } from '../../cli/present.js';
import { printable, printableDeep } from '../../text/printable.js';
import { formatAge } from '../../output/age.js';
import { existingProfile } from '../../cli/profiles.js';
import {
  classifyTemporary,
  deleteTemporary,
  isProcessRunning,
  stopOrphanTunnel,
  temporaryEntries,
} from '../../receiver/tunnel/temporary.js';
import { lockedSecretBook } from '../../receiver/tunnel/locked-book.js';
import { configFilePath } from '../../store/config-dir.js';
import type { CleanupFlags } from './flags.js';

export interface CleanupOptions {
  dryRun?: boolean;
}

interface Entry {
  uid: string;
  event?: string;
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface CleanupReport {
  profile: string;
  deleted: Entry[];
  failed: Array<Entry & { message: string }>;
  /** Whose listen still runs. */
  live: Entry[];
  /** Made on another host. */
  elsewhere: Entry[];
  /** --dry-run: what would be deleted. */
  wouldDelete: Entry[];
  /** Tunnel processes of dead listens that were stopped. */
  stoppedTunnels: number[];
}

/** Finds and (unless dryRun) deletes the leftovers of the current profile. */
export async function sweepLeftovers(ctx: Context, options: CleanupOptions = {}): Promise<CleanupReport> {
  const profile = profileName(ctx);
  const config = await ctx.config();
  const found = classifyTemporary(temporaryEntries(config.secrets(profile)), {
    hostname: hostname(),
    isRunning: (pid) => isProcessRunning(pid, ctx.proc),
    self: ctx.proc.pid,
  });
  const view = (e: (typeof found.stale)[number]): Entry => ({
    uid: e.uid,
    event: e.event,
    pid: e.mark.pid,
    hostname: e.mark.hostname,
    startedAt: e.mark.startedAt,
  });
  const report: CleanupReport = {
    profile,
    deleted: [],
    failed: [],
    live: found.live.map(view),
    elsewhere: found.elsewhere.map(view),
    wouldDelete: [],
    stoppedTunnels: [],
  };
  if (options.dryRun) {
    report.wouldDelete = found.stale.map(view);
    return report;
  }
  if (found.stale.length === 0) return report;
  for (const entry of found.stale) {
    if (stopOrphanTunnel(entry.mark, ctx.proc) && entry.mark.tunnel) report.stoppedTunnels.push(entry.mark.tunnel.pid);
  }
  const api = await ctx.api();
  const outcome = await deleteTemporary(
    api,
    lockedSecretBook(config),
    profile,
    found.stale.map((e) => e.uid),
  );
  const byUid = new Map(found.stale.map((e) => [e.uid, view(e)]));
  report.deleted = outcome.deleted.map((uid) => byUid.get(uid)!);
  report.failed = outcome.failed.map((f) => ({ ...byUid.get(f.uid)!, message: f.message }));
  return report;
}

function describe(e: Entry): string {
  return `${e.uid}${e.event ? ` (${e.event})` : ''}`;
}

/** On stderr, from a sanitised report (uids, events, hosts and API messages are not ours). */
function printReport(ctx: Context, report: CleanupReport, quietWhenEmpty: boolean): void {
  const s = errStyle(ctx);
  for (const e of report.deleted)
    ctx.err(
      `Deleted ${describe(e)}, left by listen pid ${e.pid} (started ${formatAge((ctx.now() - Date.parse(e.startedAt)) / 1000)}), and its secret.`,
    );
  for (const pid of report.stoppedTunnels) ctx.err(`Stopped its tunnel process (pid ${pid}).`);
  for (const e of report.failed) {
    ctx.err(
      s.red(`could not delete temporary subscription ${e.uid}: ${e.message}`) +
        ` — it stays recorded; run \`pictify-hooks cleanup\` again, or \`pictify-hooks delete ${e.uid} --yes\``,
    );
  }
  for (const e of report.wouldDelete) ctx.err(`Would delete ${describe(e)}: its listen (pid ${e.pid}) is gone.`);
  if (quietWhenEmpty) return;
  for (const e of report.live) ctx.err(`Left ${describe(e)}: its listen (pid ${e.pid}) is still running.`);
  for (const e of report.elsewhere) {
    ctx.err(
      `Left ${describe(e)}: made on host ${e.hostname}; run cleanup there, or \`pictify-hooks delete ${e.uid} --yes\`.`,
    );
  }
  const touched = report.deleted.length + report.failed.length + report.wouldDelete.length;
  if (touched === 0) ctx.err(`No temporary subscriptions to clean up in profile "${report.profile}".`);
}

export async function run(ctx: Context, options: CleanupFlags): Promise<void> {
  await existingProfile(ctx);
  const report = await sweepLeftovers(ctx, options);
  present(ctx, report, (safe) => printReport(ctx, safe, false));
  if (report.failed.length > 0) {
    throw new FailureError(`${report.failed.length} temporary subscription(s) could not be deleted`, {
      hint: 'the API may be unreachable; run `pictify-hooks cleanup` again later',
    });
  }
}

/**
 * What `listen` (any mode) does first: the same sweep, reported only when it found something, and never a reason
 * for listen not to start (no API key, API down, unreadable config: one line, then on).
 */
export async function sweepBeforeListen(ctx: Context): Promise<void> {
  try {
    // Cheap look first: most listens have nothing temporary on record and need not load the config store.
    const raw = await readFile(configFilePath(ctx.configDir()), 'utf8').catch(() => '');
    if (!raw.includes('"temporary"')) return;
    const report = await sweepLeftovers(ctx);
    printReport(ctx, printableDeep(report), true);
  } catch (error) {
    if ((error as { path?: string }).path !== undefined) return; // an unreadable config is listen's to report
    ctx.err(
      errStyle(ctx).yellow(
        'warning: temporary subscriptions left by a listen that died could not be cleaned up: ' +
          `${printable((error as Error).message)} — run \`pictify-hooks cleanup\``,
      ),
    );
  }
}
