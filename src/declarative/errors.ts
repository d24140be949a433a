// A subscriptions file that cannot be used: where (path, line, column) and what, as data. The CLI turns it into
// exit 1 (plan's 2 means "changes pending", which CI lets pass) and one line `pictify-hooks.yaml:7:10: …`.
import { DomainError } from '../errors.js';

export class SubscriptionsFileError extends DomainError {
  readonly path: string;
  /** 1-based; undefined when the problem is the file as a whole (missing, unreadable). */
  readonly line?: number;
  readonly column?: number;
  readonly reason: string;
  /** 'not_found': there is no file at `path` (the CLI suggests `import`). */
  readonly code?: 'not_found';
  constructor(
    path: string,
    reason: string,
    position: { line?: number; column?: number } = {},
    cause?: unknown,
    code?: 'not_found',
  ) {
    const where = position.line === undefined ? path : `${path}:${position.line}:${position.column ?? 1}`;
    super(`${where}: ${reason}`, { cause });
    this.path = path;
    this.line = position.line;
    this.column = position.column;
    this.reason = reason;
    if (code !== undefined) this.code = code;
  }
}

/** Another apply holds the profile's apply lock for too long. */
export class ApplyLockedError extends DomainError {
  readonly holderPid?: number;
  readonly lockPath: string;
  constructor(lockPath: string, holderPid: number | undefined, waitedMs: number) {
    const who = holderPid === undefined ? 'another process' : `another apply (pid ${holderPid})`;
    super(`${who} has been applying for over ${Math.round(waitedMs / 1000)} s (lock ${lockPath})`);
    this.holderPid = holderPid;
    this.lockPath = lockPath;
  }
}
