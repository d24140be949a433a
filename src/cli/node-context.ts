// The Context for a real process: stdout/stderr/stdin, the environment, signals, the terminal. The only module
// (with bin/) that reads `process`; everything else gets a Context (types in context.ts).
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { ApiClient } from '../api/index.js';
import type { ConfigStore } from '../store/config.js';
import { configDirFor } from '../store/config-dir.js';
import { resolveColor } from '../output/color-level.js';
import type { Context, ContextInit, Env, IO, ProcessControl } from './context.js';
import type {} from './context-services.js';
import { InterruptedError } from './errors.js';

let cachedVersion: string | undefined;
export function packageVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}

let pipeGuardInstalled = false;
/** `pictify-hooks … | head` closes our stdout early: that is the reader's choice, not a crash. */
function guardClosedPipes(): void {
  if (pipeGuardInstalled) return;
  pipeGuardInstalled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/** The running process, for what tunnels need of it (pid, platform, signals to their process groups). */
export const nodeProcess: ProcessControl = {
  pid: process.pid,
  platform: process.platform,
  execPath: process.execPath,
  kill: (pid, signal) => void process.kill(pid, signal),
};

export function createContext(init: ContextInit = {}): Context {
  if (!init.io?.stdout || !init.io?.stderr) guardClosedPipes();
  const io: IO = {
    stdout: init.io?.stdout ?? process.stdout,
    stderr: init.io?.stderr ?? process.stderr,
    // process.stdin builds a stream (tty, pipe or file) on first touch: only the commands that read it pay.
    get stdin() {
      return init.io?.stdin === undefined ? process.stdin : init.io.stdin;
    },
    stdoutIsTTY: init.io?.stdoutIsTTY ?? (init.io?.stdout ? false : Boolean(process.stdout.isTTY)),
    stderrIsTTY: init.io?.stderrIsTTY ?? (init.io?.stderr ? false : Boolean(process.stderr.isTTY)),
    stdinIsTTY: init.io?.stdinIsTTY ?? (init.io?.stdin !== undefined ? false : isatty(0)),
  };
  const env: Env = init.env ?? process.env;
  let configPromise: Promise<ConfigStore> | undefined;
  let apiPromise: Promise<ApiClient> | undefined;

  const ctx: Context = {
    io,
    env,
    now: init.now ?? (() => Date.now()),
    version: packageVersion(),
    globals: {},
    get color() {
      return resolveColor({ isTTY: io.stdoutIsTTY, env, flag: ctx.globals.color });
    },
    get stderrColor() {
      return resolveColor({ isTTY: io.stderrIsTTY, env, flag: ctx.globals.color });
    },
    fetchImpl: init.fetchImpl ?? globalThis.fetch,
    proc: init.proc ?? nodeProcess,
    configDir: () => configDirFor(env),
    config() {
      configPromise ??= import('../store/config.js').then((m) => m.openConfig({ cwd: ctx.configDir() }));
      // A failed open must be reported every time, not cached as a rejection forever.
      configPromise.catch(() => (configPromise = undefined));
      return configPromise;
    },
    api() {
      apiPromise ??= import('./api-for-context.js').then((m) => m.createApiForContext(ctx));
      apiPromise.catch(() => (apiPromise = undefined));
      return apiPromise;
    },
    onSignal:
      init.onSignal ??
      ((signal, handler) => {
        process.on(signal, handler);
        return () => process.off(signal, handler);
      }),
    async readStdin() {
      const stdin = io.stdin;
      if (!stdin) return Buffer.alloc(0);
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks);
    },
    promptHidden: init.promptHidden ?? ((question) => promptOnTty(question, true)),
    confirm:
      init.confirm ?? (async (question) => /^y(es)?$/i.test((await promptOnTty(`${question} [y/N] `, false)).trim())),
    out: (text) => void io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void io.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
  return ctx;
}

/** Reads one line from the terminal; with `hidden`, typed characters are not echoed. */
async function promptOnTty(question: string, hidden: boolean): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // readline swallows Ctrl-C in terminal mode; without this the prompt would hang (login) or the process
  // would die with an unsettled promise (delete). Ctrl-C at a prompt is an interruption: exit 130.
  const interrupted = new Promise<never>((_, reject) =>
    rl.once('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new InterruptedError());
    }),
  );
  if (hidden) {
    // readline draws the line as "cursor to column 0, clear, prompt + typed text" through _writeToOutput, so the
    // question must be readline's own prompt (written outside it, the first redraw erased it: ESC[1G ESC[0J) and
    // the filter keeps the prompt while dropping every typed character.
    const rlAny = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    rlAny._writeToOutput = (s: string) => {
      if (s.startsWith(question)) rlAny.output.write(question);
      else if (s.includes('\n')) rlAny.output.write('\n');
    };
  }
  return Promise.race([
    interrupted,
    new Promise<string>((resolve) => rl.question(question, (answer) => (rl.close(), resolve(answer)))),
  ]);
}
