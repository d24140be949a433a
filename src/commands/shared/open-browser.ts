// `--open` (inspect, listen --ui): the inspector page in the user's browser.
import type { Context } from '../../cli/context.js';

/** How long the redirect file outlives the opener's start: the browser reads it once, when it opens. */
const REDIRECT_FILE_MS = 60_000;

/**
 * `--open`: the platform's opener, detached; a machine without one gets a line, not a failure. The opener is given
 * a private file (0600, in a fresh 0700 folder) that redirects to the link, not the link itself: an argv is
 * readable by every local user (`ps`), and the link carries the token.
 */
export async function openInBrowser(ctx: Context, url: string): Promise<void> {
  const [{ spawn }, { platform }] = await Promise.all([import('node:child_process'), import('node:os')]);
  const file = await redirectFile(url);
  const os = platform();
  const [command, args] =
    os === 'darwin' ? ['open', [file]] : os === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
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

/** A page that sends the browser on to `url` (the token stays in the file and the address bar, not in argv). */
async function redirectFile(url: string): Promise<string> {
  const [{ mkdtemp, rm, writeFile }, { tmpdir }, { join }] = await Promise.all([
    import('node:fs/promises'),
    import('node:os'),
    import('node:path'),
  ]);
  const folder = await mkdtemp(join(tmpdir(), 'pictify-hooks-open-')); // 0700
  const file = join(folder, 'inspector.html');
  const href = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  await writeFile(
    file,
    '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
      `<meta http-equiv="refresh" content="0;url=${href}"><title>pictify-hooks inspector</title>` +
      `<a href="${href}">Open the inspector</a>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  setTimeout(() => void rm(folder, { recursive: true, force: true }), REDIRECT_FILE_MS).unref();
  return file;
}
