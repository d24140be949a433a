// What the long-running commands (listen, emulator) share: a --ready-file scripts can wait on, and one clear
// message for the ways binding a port fails.
import { FailureError } from '../cli/errors.js';

/** Written whole then renamed, so a script polling for the file never reads half a url. */
export async function writeReadyFile(file: string, url: string): Promise<void> {
  const [{ writeFile, rename }, { randomBytes }] = await Promise.all([
    import('node:fs/promises'),
    import('node:crypto'),
  ]);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${url}\n`);
    await rename(tmp, file);
  } catch (error) {
    throw new FailureError(
      `cannot write --ready-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A ready file left behind would tell the next script a stopped server is up. */
export async function removeReadyFile(file: string): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(file, { force: true }).catch(() => undefined);
}

/** Turns a failed `listen()` into the error a user can act on, or returns undefined for anything else. */
export function bindFailure(error: unknown, host: string, port: number): FailureError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new FailureError(`port ${port} on ${host} is already in use`, {
      hint: 'stop the other process, or pick another port with --port (0 picks a free one)',
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
    return new FailureError(`cannot listen on ${host}:${port} (${code})`, {
      hint: 'use --host 127.0.0.1 and a port above 1024',
    });
  }
  return undefined;
}
