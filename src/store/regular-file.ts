// Opening our own files (the event store, the config file, its lock record) so that only a regular file is ever
// read or written: a symbolic link at the path is not followed (O_NOFOLLOW) — one pointing at /etc/passwd must not
// get JSON lines appended — and a FIFO, device or folder is refused as soon as it is opened (O_NONBLOCK, so that
// opening a FIFO does not itself block, then fstat), instead of swallowing deliveries or blocking a reader forever.
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DomainError } from '../errors.js';

const { O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_TRUNC } = constants;

export type FileKind = 'symbolic link' | 'FIFO' | 'device' | 'folder' | 'socket' | 'special file';

/** The path names something that is not a regular file; nothing was read from or written to it. */
export class NotRegularFileError extends DomainError {
  readonly path: string;
  readonly kind: FileKind;
  constructor(path: string, kind: FileKind) {
    super(`${path} is a ${kind}, not a regular file`);
    this.path = path;
    this.kind = kind;
  }
}

/** The open flags: read, append (creating), or write a new file exclusively; never following a link, never blocking. */
export const FLAGS = {
  read: O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
  append: O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK,
  createNew: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK,
  /** Write from the start (a log): created if missing, emptied if there. */
  truncate: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK,
} as const;

export function kindOf(stats: Stats): FileKind | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  if (stats.isDirectory()) return 'folder';
  if (stats.isSocket()) return 'socket';
  return 'special file';
}

/** ELOOP from O_NOFOLLOW means the last component is a link; ENXIO, a FIFO nobody reads (opened for writing). */
function refusal(path: string, error: unknown): NotRegularFileError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return new NotRegularFileError(path, 'symbolic link');
  if (code === 'ENXIO') return new NotRegularFileError(path, 'FIFO');
  if (code === 'EISDIR') return new NotRegularFileError(path, 'folder');
  return undefined;
}

export async function openRegular(path: string, flags: number, mode = 0o600): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags, mode);
  } catch (error) {
    throw refusal(path, error) ?? error;
  }
  let kind: FileKind | undefined;
  try {
    kind = kindOf(await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (kind === undefined) return handle;
  await handle.close();
  throw new NotRegularFileError(path, kind);
}

export function openRegularSync(path: string, flags: number, mode = 0o600): number {
  let fd: number;
  try {
    fd = openSync(path, flags, mode);
  } catch (error) {
    throw refusal(path, error) ?? error;
  }
  let kind: FileKind | undefined;
  try {
    kind = kindOf(fstatSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (kind === undefined) return fd;
  closeSync(fd);
  throw new NotRegularFileError(path, kind);
}

/**
 * Why `path` (or a file beside it, such as its rotated file) could not be opened, in a few words to follow the path:
 * "it is a FIFO, not a regular file (refused)", "permission denied (EACCES)".
 */
export function openFailure(error: unknown, path?: string): string {
  if (error instanceof NotRegularFileError)
    return `${error.path === path ? 'it' : error.path} is a ${error.kind}, not a regular file (refused)`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (error as Error).message;
}
