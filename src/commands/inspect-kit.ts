// What `inspect` and `listen --ui` share: the flag values, the secrets the inspector diagnoses with (labels only
// ever reach the page), and `--open`.
import type { Context } from '../cli/context.js';
import { FailureError, UsageError } from '../errors.js';
import { ENV_SOURCE, WEBHOOK_SECRET_ENV, type SourcedSecret } from '../signing/secret-source.js';
import { parsePort } from '../cli/flags.js';
import { storedSecrets } from './secret-source.js';

export const DEFAULT_UI_PORT = 4141;

export function parseUiPort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_UI_PORT;
  return parsePort(value, '--ui-port');
}

/** Every secret on file for the profile, plus the env var's: diagnose names the one a signature belongs to. */
export async function knownSecrets(ctx: Context): Promise<SourcedSecret[]> {
  const stored = await storedSecrets(ctx).catch(() => []);
  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  return fromEnv ? [...stored, { secret: fromEnv, source: ENV_SOURCE }] : stored;
}

/** `--open`: the platform's opener, detached; a machine without one gets a line, not a failure. */
export async function openInBrowser(ctx: Context, url: string): Promise<void> {
  const [{ spawn }, { platform }] = await Promise.all([import('node:child_process'), import('node:os')]);
  const os = platform();
  const [command, args] =
    os === 'darwin' ? ['open', [url]] : os === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  await new Promise<void>((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', () => {
      ctx.err(`  could not start ${command} to open the inspector: open the link above yourself`);
      resolve();
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export function checkUiFlags(flags: { ui?: boolean; uiPort?: string; open?: boolean; allowRemoteReplay?: boolean }) {
  if (!flags.ui) {
    for (const [flag, set] of [
      ['--ui-port', flags.uiPort !== undefined],
      ['--open', flags.open],
      ['--allow-remote-replay', flags.allowRemoteReplay],
    ] as const) {
      if (set) throw new UsageError(`${flag} works with --ui`, { hint: `add --ui to serve the inspector page` });
    }
  }
}

/** The page's port is taken (another listen --ui, another inspect): say which flag moves it. */
export function uiBindFailure(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new FailureError(`--ui-port ${port}: 127.0.0.1:${port} is already in use (another inspector?)`, {
      hint: 'pick another with --ui-port (0 picks a free one)',
    });
  }
  if (code === 'EACCES')
    return new FailureError(`--ui-port ${port}: not allowed (${code})`, { hint: 'use a port above 1024' });
  return error;
}
