// Runs the BUILT CLI (bin/pictify-hooks.js) as a subprocess, as users and CI do. Every child is bounded in time
// and killed by the caller's cleanup; useBinSandbox is the e2e files' whole set-up (a config folder, a Cli on it,
// servers to close).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useConfigDir } from './cli.js';

export const BIN = fileURLToPath(new URL('../../bin/pictify-hooks.js', import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<Finished>;
}

/**
 * The bins' code cache (bin/code-cache.js) goes to a folder of this test process, removed when it exits, not to the
 * user's ~/.cache: tests write nothing outside their own folders.
 */
const CODE_CACHE_HOME = mkdtempSync(join(tmpdir(), 'pictify-hooks-test-cache-'));
process.once('exit', () => rmSync(CODE_CACHE_HOME, { recursive: true, force: true }));

export class Cli {
  readonly children: ChildProcess[] = [];
  constructor(private readonly env: Record<string, string>) {}

  spawn(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Running {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        XDG_CACHE_HOME: CODE_CACHE_HOME,
        ...this.env,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    const done = new Promise<Finished>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, stdout: () => stdout, stderr: () => stderr, done };
  }

  run(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Finished> {
    return this.spawn(args, options).done;
  }

  killAll(): void {
    for (const child of this.children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** killAll, then waits until every child is gone, so none writes into a folder the test is about to remove. */
  async stopAll(): Promise<void> {
    const alive = this.children.filter((child) => child.exitCode === null && child.signalCode === null);
    const gone = alive.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    this.killAll();
    await Promise.all(gone);
  }
}

export interface BinSandbox {
  /** PICTIFY_HOOKS_CONFIG_DIR: one path for the file, created empty before every test, removed after it. */
  dir: string;
  /** The built bin on that folder (and the file's env); its children are stopped after every test. */
  cli: Cli;
  /** Servers a test starts (node:http, node:net, or anything with an async close): closed after every test. */
  servers: Array<Server | { close(): Promise<void> }>;
}

/**
 * The e2e files' set-up: a config folder, a Cli that runs the built bin on it with `env`, and a list of servers;
 * after every test the children are stopped and the servers closed, then `beforeRemove` runs, then the folder goes.
 */
export function useBinSandbox(
  env: Record<string, string> = {},
  options: { beforeRemove?: () => void } = {},
): BinSandbox {
  const servers: BinSandbox['servers'] = [];
  const dir = useConfigDir({
    beforeRemove: async () => {
      await cli.stopAll();
      for (const server of servers.splice(0)) {
        if (!('listen' in server)) await server.close();
        else {
          (server as Partial<HttpServer>).closeAllConnections?.();
          await new Promise((resolve) => server.close(resolve));
        }
      }
      options.beforeRemove?.();
    },
  });
  const cli = new Cli({ PICTIFY_HOOKS_CONFIG_DIR: dir, ...env });
  return { dir, cli, servers };
}

export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a long-running command that writes a --ready-file (listen) and returns its url. */
export async function startWithReadyFile(cli: Cli, args: string[], dir: string): Promise<Running & { url: string }> {
  const readyFile = join(dir, `ready-${cli.children.length}-${Date.now()}`);
  const running = cli.spawn([...args, '--ready-file', readyFile], { timeoutMs: 60_000 });
  let exited: Finished | undefined;
  void running.done.then((r) => (exited = r));
  const url = await waitFor(() => {
    if (exited) throw new Error(`${args[0]} exited early (${exited.code}): ${exited.stderr}`);
    return existsSync(readyFile) ? readFileSync(readyFile, 'utf8').trim() || undefined : undefined;
  }, `${args[0]} to be ready`);
  return { ...running, url };
}
