// `--open` (inspect, listen --ui): the inspector page in the user's browser.
import type { Context } from '../../cli/context.js';

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
