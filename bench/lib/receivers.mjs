// The two receivers under load, each its own process started the same way: the built `listen` and the minimal
// node:http baseline. Both bind 127.0.0.1 on a free port and announce their url through a ready file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET } from './deliveries.mjs';
import { startNode, stop, waitForReadyFile } from './children.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'pictify-hooks.js');
const MINIMAL = join(ROOT, 'bench', 'minimal-server.mjs');
const NULL_SERVER = join(ROOT, 'bench', 'null-server.mjs');

let serial = 0;

/** Environment for the CLI under test: its own config folder, no colour, nothing from the caller's profile. */
export function cliEnv(tmp) {
  const env = { ...process.env, PICTIFY_HOOKS_CONFIG_DIR: join(tmp, 'config'), NO_COLOR: '1' };
  for (const k of ['PICTIFY_API_KEY', 'PICTIFY_BASE_URL', 'PICTIFY_PROFILE', 'PICTIFY_WEBHOOK_SECRET', 'FORCE_COLOR'])
    delete env[k];
  return env;
}

/** `--cpu-prof` flags when BENCH_PROFILE_DIR is set. */
export function profileFlags(profileDir, name) {
  if (!profileDir) return [];
  mkdirSync(profileDir, { recursive: true });
  return [
    '--cpu-prof',
    '--cpu-prof-dir',
    profileDir,
    '--cpu-prof-name',
    `${name}-${process.pid}-${++serial}.cpuprofile`,
  ];
}

export async function startListen(
  tmp,
  { store = true, fsync = false, profileDir, name = 'listen', nodeOptions = [] } = {},
) {
  const dir = join(tmp, `${name}-${++serial}`);
  mkdirSync(dir, { recursive: true });
  const readyFile = join(dir, 'ready');
  const args = [
    ...nodeOptions,
    ...profileFlags(profileDir, name),
    BIN,
    'listen',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--secret',
    BENCH_SECRET,
    ...(store ? ['--store', join(dir, 'events.jsonl')] : ['--no-store']),
    ...(fsync ? ['--fsync'] : []),
    '--ready-file',
    readyFile,
  ];
  const entry = startNode(args, { env: cliEnv(tmp), name });
  const url = await waitForReadyFile(entry, readyFile);
  return { entry, url, pid: entry.child.pid, storeFile: store ? join(dir, 'events.jsonl') : null };
}

export async function startMinimal(tmp, { profileDir, name = 'minimal' } = {}) {
  const dir = join(tmp, `${name}-${++serial}`);
  mkdirSync(dir, { recursive: true });
  const readyFile = join(dir, 'ready');
  const entry = startNode([...profileFlags(profileDir, name), MINIMAL], {
    env: { ...process.env, BENCH_SECRET, BENCH_READY_FILE: readyFile },
    name,
  });
  const url = await waitForReadyFile(entry, readyFile);
  return { entry, url, pid: entry.child.pid };
}

/** The null server (answers 200, reads nothing): the generator's ceiling. */
export async function startNull(tmp, { name = 'null' } = {}) {
  const dir = join(tmp, `${name}-${++serial}`);
  mkdirSync(dir, { recursive: true });
  const readyFile = join(dir, 'ready');
  const entry = startNode([NULL_SERVER], { env: { ...process.env, BENCH_READY_FILE: readyFile }, name });
  const url = await waitForReadyFile(entry, readyFile);
  return { entry, url, pid: entry.child.pid };
}

/** listen's closing line: "Stopped: N deliveries (V verified, R rejected, D duplicate)…". */
export function parseListenSummary(stderr) {
  const m = /Stopped: (\d+) deliver(?:y|ies) \((\d+) verified, (\d+) rejected, (\d+) duplicate\)/.exec(stderr);
  if (!m) return null;
  return { received: Number(m[1]), verified: Number(m[2]), rejected: Number(m[3]), duplicates: Number(m[4]) };
}

export async function stopReceiver(receiver) {
  return stop(receiver.entry, 15_000);
}

/** The minimal server's counters (count, first arrival, last answer in its own performance.now() ms). */
export async function minimalStats(url, { reset = false } = {}) {
  const res = await fetch(`${new URL(url).origin}/__stats${reset ? '?reset' : ''}`);
  return res.json();
}
