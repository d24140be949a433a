// Temporary subscriptions: made by `listen --subscribe` for its own run, marked in the config with their owner
// (pid, host, start time), and deleted when that listen stops. A listen killed with -9 cannot delete its own;
// the next listen or `cleanup` deletes those whose owner is no longer running on this host — never a live one's,
// never another host's (a pid there means nothing here).
import { readFileSync } from 'node:fs';
import type { ProcessControl } from '../../host.js';
import type { StoredSecret, TemporaryMark } from '../../store/config.js';
import { commandTunnel } from './providers/index.js';

/** The part of the config store this module needs (ConfigStore has it). */
export interface SecretBook {
  secrets(profile: string): Record<string, StoredSecret>;
  saveSecret(profile: string, uid: string, data: StoredSecret): void | Promise<void>;
  removeSecret(profile: string, uid: string): boolean | Promise<boolean>;
}

/** The part of the API client this module needs. */
export interface SubscriptionCalls {
  createSubscription(input: {
    event: string;
    targetUrl: string;
  }): Promise<{ uid: string; event: string; targetUrl: string; secret?: string; createdAt?: string }>;
  deleteSubscription(uid: string): Promise<unknown>;
}

export interface TemporaryEntry {
  uid: string;
  event?: string;
  targetUrl?: string;
  mark: TemporaryMark;
}

export function temporaryEntries(secrets: Record<string, StoredSecret>): TemporaryEntry[] {
  return Object.entries(secrets)
    .filter(([, s]) => isMark(s.temporary))
    .map(([uid, s]) => ({ uid, event: s.event, targetUrl: s.targetUrl, mark: s.temporary! }));
}

function isMark(value: unknown): value is TemporaryMark {
  const m = value as TemporaryMark | undefined;
  return typeof m === 'object' && m !== null && Number.isInteger(m.pid) && typeof m.hostname === 'string';
}

/** Whether a process with this pid exists (EPERM: it does, it is just someone else's). */
export function isProcessRunning(pid: number, proc: Pick<ProcessControl, 'kill'>): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    proc.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Classified {
  /** Owner gone on this host: safe to delete. */
  stale: TemporaryEntry[];
  /** Owner still running here: left alone. */
  live: TemporaryEntry[];
  /** Made on another host: we cannot tell, left alone. */
  elsewhere: TemporaryEntry[];
}

export function classifyTemporary(
  entries: readonly TemporaryEntry[],
  here: { hostname: string; isRunning: (pid: number) => boolean; self?: number },
): Classified {
  const isRunning = here.isRunning;
  const out: Classified = { stale: [], live: [], elsewhere: [] };
  for (const entry of entries) {
    if (entry.mark.hostname !== here.hostname) out.elsewhere.push(entry);
    else if (entry.mark.pid === here.self || isRunning(entry.mark.pid)) out.live.push(entry);
    else out.stale.push(entry);
  }
  return out;
}

export interface DeleteOutcome {
  deleted: string[];
  failed: Array<{ uid: string; message: string }>;
}

/**
 * Deletes each subscription (retrying a failure), then forgets its secret. A subscription that could not be
 * deleted keeps its secret and its temporary mark, so `cleanup` can try again later.
 */
export async function deleteTemporary(
  api: Pick<SubscriptionCalls, 'deleteSubscription'>,
  book: SecretBook,
  profile: string,
  uids: readonly string[],
  options: { attempts?: number; delayMs?: number } = {},
): Promise<DeleteOutcome> {
  const attempts = options.attempts ?? 3;
  const outcome: DeleteOutcome = { deleted: [], failed: [] };
  await Promise.all(
    uids.map(async (uid) => {
      let last: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          await api.deleteSubscription(uid);
          last = undefined;
          break;
        } catch (error) {
          last = error;
          if ((error as { status?: number }).status === 404) {
            last = undefined; // already gone is what we wanted
            break;
          }
          if (attempt < attempts) await new Promise((r) => setTimeout(r, (options.delayMs ?? 500) * attempt));
        }
      }
      if (last !== undefined) {
        outcome.failed.push({ uid, message: (last as Error).message ?? String(last) });
        return;
      }
      try {
        await book.removeSecret(profile, uid);
        outcome.deleted.push(uid);
      } catch (error) {
        outcome.failed.push({
          uid,
          message: `deleted, but its secret stays in the config: ${(error as Error).message}`,
        });
      }
    }),
  );
  outcome.deleted.sort((a, b) => uids.indexOf(a) - uids.indexOf(b));
  return outcome;
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat): with its pid, it names one
 * process — pids are reused, (pid, start) pairs are not, and an exec (a shell that execs its command) keeps it.
 * Linux only; undefined elsewhere or when the process is gone.
 */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": comm may hold spaces and parentheses, so count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the recorded tunnel's pid is still that tunnel: its start time, else (older marks) its command line. */
function isRecordedTunnel(tunnel: NonNullable<TemporaryMark['tunnel']>): boolean {
  if (tunnel.startTicks !== undefined) return processStartTicks(tunnel.pid) === tunnel.startTicks;
  // A --tunnel-command's shell line names no tool to look for: without a start time it cannot be told apart.
  if (tunnel.provider === commandTunnel.name) return false;
  try {
    return readFileSync(`/proc/${tunnel.pid}/cmdline`, 'utf8').includes(tunnel.provider);
  } catch {
    return false;
  }
}

/**
 * An owner killed with -9 leaves its tunnel running (it has its own process group: a --tunnel-command's shell and
 * whatever it started). Stop the group — but only after checking that the pid is still that tunnel, since pids
 * are reused. Linux only (/proc); elsewhere it is left.
 */
export function stopOrphanTunnel(mark: TemporaryMark, proc: Pick<ProcessControl, 'kill'>): boolean {
  const tunnel = mark.tunnel;
  if (!tunnel || !isProcessRunning(tunnel.pid, proc) || !isRecordedTunnel(tunnel)) return false;
  try {
    proc.kill(-tunnel.pid, 'SIGTERM');
  } catch {
    try {
      proc.kill(tunnel.pid, 'SIGTERM');
    } catch {
      return false;
    }
  }
  return true;
}
