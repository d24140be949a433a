// Runs the CLI in-process against a test Context: buffers for stdout/stderr, a temp config dir, a fixed clock.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Context, Env, SignalName } from '../../src/cli/context.js';
import { createContext } from '../../src/cli/node-context.js';

export const FIXED_NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ctx: Context;
}

export interface RunOptions {
  env?: Env;
  now?: number | (() => number);
  stdin?: string | Buffer;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  stdinIsTTY?: boolean;
  confirm?: (q: string) => Promise<boolean>;
  promptHidden?: (q: string) => Promise<string>;
  /** Last-minute changes to the Context (e.g. a config store that fails to write). */
  patch?: (ctx: Context) => void;
}

export function tempConfigDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The calling file's config folder: one path for the whole file, created empty (0700) before every test and removed
 * after it (once `beforeRemove` is done: stop what writes there first), so tests read `dir` like a constant and
 * never see each other's files.
 */
export function useConfigDir(options: { beforeRemove?: () => void | Promise<void> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-test-'));
  beforeEach(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { mode: 0o700 });
  });
  afterEach(async () => {
    await options.beforeRemove?.();
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The config file of `configDir` as JSON (what the commands stored). */
export function readConfig(configDir: string): any {
  return JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
}

/** `run(dir, ['list', '--json'])` — argv without the node/bin prefix. */
export async function run(configDir: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const now = options.now ?? FIXED_NOW;
  const ctx = createContext({
    io: {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: options.stdin === undefined ? null : Readable.from([Buffer.from(options.stdin)]),
      stdoutIsTTY: options.stdoutIsTTY ?? false,
      stderrIsTTY: options.stderrIsTTY ?? false,
      stdinIsTTY: options.stdinIsTTY ?? false,
    },
    env: { PICTIFY_HOOKS_CONFIG_DIR: configDir, ...options.env },
    now: typeof now === 'function' ? now : () => now,
    onSignal: () => () => {},
    confirm: options.confirm ?? (async () => false),
    promptHidden: options.promptHidden ?? (async () => ''),
  });
  options.patch?.(ctx);
  const code = await main(['node', 'pictify-hooks', ...args], ctx);
  return { code, stdout, stderr, ctx };
}

/** Runs a long-running command (listen, inspect) on the real clock, with signals the test can send. */
export function runWithSignals(configDir: string, args: string[], options: RunOptions = {}) {
  const handlers = new Map<SignalName, () => void>();
  const finished = run(configDir, args, {
    now: () => Date.now(),
    ...options,
    patch: (ctx) => {
      ctx.onSignal = (signal, handler) => {
        handlers.set(signal, handler);
        return () => handlers.delete(signal);
      };
      options.patch?.(ctx);
    },
  });
  return { finished, signal: (s: SignalName) => handlers.get(s)?.() };
}
