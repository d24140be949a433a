// `emulator`: a local Pictify API on node:http — subscriptions with one-time secrets, signed deliveries with the
// documented retries, and a delivery log — so everything else works offline against PICTIFY_BASE_URL.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { FailureError, InterruptedError, UsageError } from '../errors.js';
import { printJsonLine } from '../output/json.js';
import { errStyle, examples, parsePositiveInt } from './kit.js';
import { bindFailure, removeReadyFile, writeReadyFile } from './server-kit.js';

export interface EmulatorCommandOptions {
  port: number;
  host: string;
  dataDir?: string;
  /** From the global --api-key flag only (not PICTIFY_API_KEY): pins the one key the emulator accepts. */
  apiKey?: string;
  retryScale: number;
  readyFile?: string;
}

interface RawFlags {
  port: string;
  host: string;
  dataDir?: string;
  retryScale: string;
  readyFile?: string;
}

export function parseRetryScale(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--retry-scale: expected a positive number, got "${value}"`, {
      hint: 'e.g. --retry-scale 0.001 turns 1 min into 60 ms',
    });
  }
  return n;
}

export function toOptions(flags: RawFlags, ctx: Context): EmulatorCommandOptions {
  return {
    port: parsePositiveInt(flags.port, '--port', { min: 0, max: 65535 }),
    host: flags.host,
    dataDir: flags.dataDir,
    apiKey: ctx.globals.apiKey,
    retryScale: parseRetryScale(flags.retryScale),
    readyFile: flags.readyFile,
  };
}

export async function run(ctx: Context, options: EmulatorCommandOptions): Promise<void> {
  const { startEmulator, StateFileError } = await import('../emulator/index.js');
  const e = errStyle(ctx);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      apiKey: options.apiKey,
      retryScale: options.retryScale,
      log: (line) => ctx.err(`${e.dim('Emulator:')} ${line}`),
    });
  } catch (error) {
    if (error instanceof StateFileError) {
      throw new FailureError(`cannot load the emulator state: ${error.message}`, {
        hint: `fix or remove ${error.path}, or use another --data-dir`,
      });
    }
    throw bindFailure(error, options.host, options.port) ?? error;
  }

  let stop!: (reason: 'sigint' | 'sigterm') => void;
  const stopped = new Promise<'sigint' | 'sigterm'>((resolve) => (stop = resolve));
  const unsubscribe = [ctx.onSignal('SIGINT', () => stop('sigint')), ctx.onSignal('SIGTERM', () => stop('sigterm'))];

  ctx.err(`${e.green('Emulator:')} listening on ${emulator.url} — export PICTIFY_BASE_URL=${emulator.url}`);
  ctx.err(
    `  state: ${options.dataDir ?? 'in memory'} · api key: ${options.apiKey ? 'pinned' : 'any'}` +
      (options.retryScale !== 1 ? ` · retry delays ×${options.retryScale}` : ''),
  );
  if (ctx.globals.json) printJsonLine(ctx, { event: 'ready', url: emulator.url, port: emulator.port });
  if (options.readyFile) await writeReadyFile(options.readyFile, emulator.url);

  const reason = await stopped;
  for (const off of unsubscribe) off();
  await emulator.close();
  if (options.readyFile) await removeReadyFile(options.readyFile);
  ctx.err(`${e.dim('Emulator:')} stopped${options.dataDir ? `; state kept in ${options.dataDir}` : ''}`);
  if (reason === 'sigint') throw new InterruptedError('');
}

export function register(program: Command, ctx: Context): void {
  const command = program
    .command('emulator')
    .description(
      'Run a local Pictify API: subscriptions, signed deliveries with retries, a delivery log (use with PICTIFY_BASE_URL)',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'keep subscriptions, secrets and pending retries in this folder (default: in memory)')
    .option('--retry-scale <factor>', 'multiply the retry delays (1 min, 5 min, 30 min, 2 h, 24 h), e.g. 0.001', '1')
    .option(
      '--ready-file <file>',
      'write the url to this file once listening (removed on exit), for scripts to wait on',
    )
    .addHelpText(
      'after',
      '\nThe global --api-key pins the one key the emulator accepts; without it any Bearer key works.',
    )
    .action((flags: RawFlags) => run(ctx, toOptions(flags, ctx)));
  examples(command, [
    'pictify-hooks emulator',
    'pictify-hooks emulator --port 0 --data-dir .emulator --retry-scale 0.001',
    'PICTIFY_BASE_URL=http://127.0.0.1:4010 PICTIFY_API_KEY=test pictify-hooks create --event render.completed --url http://127.0.0.1:3000',
  ]);
}
