// `emulator`: a local Pictify API on node:http — subscriptions with one-time secrets, signed deliveries with the
// documented retries, and a delivery log — so everything else works offline against PICTIFY_BASE_URL.

import type { Context } from '../../cli/context.js';
import { ExitCode, FailureError, SilentError } from '../../cli/errors.js';
import { presentItem } from '../../cli/present.js';
import { errStyle } from '../shared/styles.js';
import { bindFailure } from '../shared/bind-failure.js';
import { removeReadyFile, writeReadyFile } from '../shared/ready-file.js';
import type { EmulatorFlags } from './flags.js';

/** The flags, and the key from the global --api-key flag only (not PICTIFY_API_KEY). */
export type EmulatorCommandOptions = EmulatorFlags & { apiKey?: string };

export async function run(ctx: Context, options: EmulatorCommandOptions): Promise<void> {
  // A ready file left by an earlier run must not tell a waiting script that this one is up already.
  if (options.readyFile) await removeReadyFile(options.readyFile);
  const { startEmulator, StateFileError } = await import('../../emulator/index.js');
  const e = errStyle(ctx);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      apiKey: options.apiKey,
      retryScale: options.retryScale,
      allowRemote: options.allowRemote,
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
      (options.retryScale !== 1 ? ` · retry delays ×${options.retryScale}` : '') +
      (options.allowRemote ? ' · delivers to non-loopback targets too' : ''),
  );
  // People read the lines above on stderr; scripts get one JSON line on stdout.
  presentItem(ctx, { event: 'ready', url: emulator.url, port: emulator.port });
  let readyFileFailed: Error | undefined;
  if (options.readyFile) {
    // Fatal: a script waiting for it would wait forever, so stop (closing the port) and exit 1.
    await writeReadyFile(options.readyFile, emulator.url).catch((error: Error) => {
      readyFileFailed = error;
      stop('sigterm');
    });
  }

  const reason = await stopped;
  for (const off of unsubscribe) off();
  await emulator.close();
  if (options.readyFile) await removeReadyFile(options.readyFile);
  ctx.err(`${e.dim('Emulator:')} stopped${options.dataDir ? `; state kept in ${options.dataDir}` : ''}`);
  if (readyFileFailed) throw readyFileFailed;
  if (reason === 'sigint') throw new SilentError(ExitCode.interrupted);
}
