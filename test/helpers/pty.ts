// Runs the built CLI on a real pseudo-terminal through util-linux `script`, as a user's terminal (or tmux) would
// see it: the raw bytes, including escape sequences. `cols: 0` leaves the pty unsized, which reports 0×0.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from './bin.js';

export interface PtyRun {
  /** The `script` process; its child (found with nodePid()) is the CLI itself (`exec`). */
  pid: number;
  output(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; ms: number }>;
  /** The pid of the CLI process inside the pty, once it is running. */
  nodePid(): number | undefined;
  kill(): void;
  /** Types into the terminal (`\r` is Enter, `\x03` Ctrl-C). */
  type(text: string): void;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runOnPty(
  args: string[],
  options: { env?: Record<string, string>; cols?: number; rows?: number; timeoutMs?: number } = {},
): PtyRun {
  const size = options.cols ? `stty cols ${options.cols} rows ${options.rows ?? 24}; ` : '';
  const command = `${size}exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const started = Date.now();
  // -e: script exits with the command's status; -q: no "Script started" banner; the typescript goes nowhere.
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; ms: number }>(
    (resolve) =>
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, output, ms: Date.now() - started });
      }),
  );
  return {
    pid: child.pid!,
    output: () => output,
    done,
    nodePid() {
      try {
        const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
        const pid = children.map(Number).find((p) => p > 0);
        if (!pid) return undefined;
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(BIN) ? pid : undefined;
      } catch {
        return undefined;
      }
    },
    kill: () => void child.kill('SIGKILL'),
    type: (text) => void child.stdin.write(text),
  };
}
