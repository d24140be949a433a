// A tunnel engine as a child process: its output goes line by line to a log file in the config folder (never to
// our stdout) and the last lines are kept for error messages. It runs in its own process group so stopping it
// also stops whatever a `--tunnel-command` shell started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { FLAGS } from '../../store/regular-file.js';
import { dirname } from 'node:path';
import type { ProcessControl } from '../../host.js';

/** What a tunnel child needs of the running process: the platform, and signals to the child's process group. */
export type ChildControl = Pick<ProcessControl, 'platform' | 'kill'>;

const KEPT_LINES = 20;
/** A kept line is cut here: the last lines are quoted in error messages, and a tool may print anything. */
const KEPT_LINE_CHARS = 1_000;
const STOP_GRACE_MS = 3_000;

export interface ChildSpec {
  /** Executable looked up on PATH (or /bin/sh for a command line). */
  file: string;
  args: string[];
  env?: Record<string, string | undefined>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class TunnelChild {
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited (for whatever reason). */
  readonly exited: Promise<ExitInfo>;
  #child: ChildProcess;
  #log: WriteStream;
  #lines: string[] = [];
  #listeners = new Set<(line: string) => void>();
  #exit: ExitInfo | undefined;
  #proc: ChildControl;

  private constructor(child: ChildProcess, logFile: string, log: WriteStream, proc: ChildControl) {
    this.#child = child;
    this.#proc = proc;
    this.pid = child.pid!;
    this.logFile = logFile;
    this.#log = log;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      }),
    );
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        if (!log.writableEnded) log.write(chunk);
        const parts = (partial + chunk).split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const line of parts) this.#line(line);
      });
      stream?.on('end', () => partial && this.#line(partial));
    }
  }

  /**
   * Starts the process. Rejects with the spawn error (code ENOENT when the executable is missing) instead of
   * emitting it later, so a missing binary is reported before anything else happens.
   */
  static start(spec: ChildSpec, logFile: string, proc: ChildControl): Promise<TunnelChild> {
    mkdirSync(dirname(logFile), { recursive: true, mode: 0o700 });
    // Numeric flags (fs.open takes them): a link planted at the log's path is not followed.
    const log = createWriteStream(logFile, { flags: FLAGS.truncate as unknown as string, mode: 0o600 });
    // The log is for the user's diagnosis only: a log that cannot be opened or written (its folder removed,
    // the disk full) must not crash listen with an unhandled stream error.
    log.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      const child = spawn(spec.file, spec.args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: spec.env,
        detached: proc.platform !== 'win32',
      });
      child.once('error', (error) => {
        log.end();
        reject(error);
      });
      child.once('spawn', () => {
        child.removeAllListeners('error');
        child.on('error', () => undefined);
        resolve(new TunnelChild(child, logFile, log, proc));
      });
    });
  }

  get exitInfo(): ExitInfo | undefined {
    return this.#exit;
  }

  /** The last lines of output, oldest first. */
  lastLines(): string[] {
    return [...this.#lines];
  }

  /** Calls `listener` for every complete output line from now on; returns an unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** SIGTERM to the process group, SIGKILL after a grace period; resolves once it has exited. Idempotent. */
  async stop(): Promise<ExitInfo> {
    if (!this.#exit) {
      this.#signal('SIGTERM');
      const timer = setTimeout(() => this.#signal('SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.#log.end(resolve));
    return this.#exit!;
  }

  #signal(signal: NodeJS.Signals) {
    try {
      if (this.#proc.platform !== 'win32') this.#proc.kill(-this.pid, signal);
      else this.#child.kill(signal);
    } catch {
      this.#child.kill(signal);
    }
  }

  #line(line: string) {
    this.#lines.push(
      line.length > KEPT_LINE_CHARS
        ? `${line.slice(0, KEPT_LINE_CHARS)}… (${line.length - KEPT_LINE_CHARS} more characters)`
        : line,
    );
    if (this.#lines.length > KEPT_LINES) this.#lines.shift();
    for (const listener of this.#listeners) listener(line);
  }
}
