// One clear message for each way binding a port fails (listen, emulator, inspect, the --ui page).
import { FailureError } from '../../cli/errors.js';

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
