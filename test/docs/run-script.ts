// Runs README shell text the way a reader's shell would, in a fresh temp dir, with a time bound, and reports
// every process it left behind. Adaptations are only the ones an offline test must make, all in one place:
//   - `pictify-hooks`, `npx pictify-hooks` and `npm i -D pictify-hooks` use the BUILT bin of this checkout
//     (shims on PATH), never the registry; the npx shim stays a wrapper around the CLI, as the real one is;
//   - the fixed ports of the examples (3000, 4000, 4001, 4010, 4141) become free loopback ports, so parallel runs
//     cannot collide;
//   - HOME and the config folder are the temp dir, so a reader's real profile is never read or written;
//   - what a reader does by eye is done by the harness (docsScript): after a line that starts a server in the
//     background (`… &`) it waits until that server's port answers, and when the script ends it stops the
//     background jobs it started — so the pages show only what a reader types, not the plumbing.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unusedPort } from '../helpers/ports.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'pictify-hooks.js');
export const EXAMPLE_PORTS = [3000, 4000, 4001, 4010, 4141] as const;

export interface Step {
  name: string;
  code: string;
  env?: Record<string, string>;
  /** Run as written: no waits added, no background jobs stopped (the harness's own scripts, CI recipe steps). */
  raw?: boolean;
}

export interface StepResult {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  output: string;
}

export interface ScriptRun {
  dir: string;
  results: StepResult[];
  /** Processes still alive after the last step ("pid command"), killed by the harness afterwards. */
  leftovers: string[];
  ports: Record<number, number>;
}

export async function portMap(): Promise<Record<number, number>> {
  const map: Record<number, number> = {};
  for (const port of EXAMPLE_PORTS) map[port] = await unusedPort();
  return map;
}

/** Only whole port numbers after `:`, `--port `, `--ui-port ` or `listen(` are replaced: nothing else in the text. */
export function adaptPorts(text: string, ports: Record<number, number>): string {
  return text.replace(/(:|--port[ =]|--ui-port[ =]|listen\()(\d{4})\b/g, (all, lead: string, port: string) =>
    ports[Number(port)] ? `${lead}${ports[Number(port)]}` : all,
  );
}

/** The port a background line's server will listen on: its `--port` (or `--ui-port`), else the first `:port`. */
function backgroundPort(line: string): string | undefined {
  return (/--port[ =](\d+)/.exec(line) ?? /--ui-port[ =](\d+)/.exec(line) ?? /:(\d{4,5})\b/.exec(line))?.[1];
}

const PRELUDE = `__docs_wait_port() {
  for _ in $(seq 150); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done
  echo "docs test: nothing answered on port $1 within 15 s" >&2; return 1
}
__docs_stop() { local pids; pids=$(jobs -p); [ -z "$pids" ] || { kill $pids 2>/dev/null; wait $pids 2>/dev/null || true; }; return 0; }
trap __docs_stop EXIT
`;

/**
 * A page's shell text as the harness runs it: the ports adapted, a wait for each server started in the background,
 * and the background jobs stopped at the end. A background line with no port to wait for is refused: a reader
 * would not know when it is ready either.
 */
export function docsScript(code: string, ports: Record<number, number>): string {
  const lines = adaptPorts(code, ports).split('\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const command = line.replace(/\s+#.*$/, '');
    if (!/[^&]&\s*$/.test(command)) continue;
    const port = backgroundPort(line);
    if (port === undefined) throw new Error(`docs: a background line names no port to wait for: ${line.trim()}`);
    out.push(`__docs_wait_port ${port}`);
  }
  return PRELUDE + out.join('\n');
}

function writeShims(binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  symlinkSync(BIN, join(binDir, 'pictify-hooks'));
  const node = JSON.stringify(process.execPath);
  const bin = JSON.stringify(BIN);
  const shim = (name: string, body: string) => {
    writeFileSync(join(binDir, name), `#!/bin/sh\n# docs test shim: ${name} without the registry\n${body}\n`);
    chmodSync(join(binDir, name), 0o755);
  };
  shim(
    'npx',
    `case "$1" in -y|--yes) shift ;; esac
# Like the real npx, a wrapper process with the CLI as its child (no exec): \`kill\` of the wrapper leaves the child.
if [ "$1" = pictify-hooks ]; then shift; ${node} ${bin} "$@"; exit $?; fi
echo "docs test: npx $* is not available offline" >&2; exit 127`,
  );
  const modules = JSON.stringify(join(REPO, 'node_modules'));
  shim(
    'npm',
    `case "$1" in
  install|i|ci)
    shift
    # A clone's dependencies (no names): the ones this test runs on. Named packages: this checkout for
    # pictify-hooks, the versions it is tested with for the rest (express, fastify, hono…), never the registry.
    for m in "$@"; do
      case "$m" in
        -D|--save-dev|-g) ;;
        pictify-hooks)
          mkdir -p node_modules/.bin && ln -sfn ${JSON.stringify(REPO)} node_modules/pictify-hooks &&
            ln -sfn ${bin} node_modules/.bin/pictify-hooks ;;
        *)
          [ -e ${modules}/"$m" ] || { echo "docs test: npm i $m is not available offline" >&2; exit 127; }
          mkdir -p "node_modules/$(dirname "$m")" && ln -sfn ${modules}/"$m" "node_modules/$m" ;;
      esac
    done ;;
  run) [ "$2" = demo ] && exec ${node} ${bin} demo; echo "docs test: npm $* is not supported here" >&2; exit 127 ;;
  test) echo "docs test: npm test is what runs this test (see .ci/run)" ;;
  *) echo "docs test: npm $* is not supported here" >&2; exit 127 ;;
esac`,
  );
}

/** Live processes (not zombies) whose process group is one of `groups`. Linux /proc. */
function processesIn(groups: Set<number>): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || !groups.has(Number(fields[2]))) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * Runs the steps one after another in one temp dir, each in `bash -eo pipefail` (as GitHub Actions does, and
 * stricter than a pasted line: every command must succeed) in its own process group. Stops at the first failed
 * step. Background processes started by a step live on into the next ones, like in a CI job.
 */
export async function runSteps(steps: Step[], options: { timeoutMs?: number } = {}): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-docs-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  writeShims(join(dir, 'bin'));
  const ports = await portMap();
  const env: Record<string, string> = {
    PATH: [join(dir, 'bin'), dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    TMPDIR: dir,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: 'true',
  };
  const groups = new Set<number>();
  const results: StepResult[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (const step of steps) {
    const script = step.raw ? adaptPorts(step.code, ports) : docsScript(step.code, ports);
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: work,
      env: { ...env, ...step.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    groups.add(child.pid!);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        for (const group of groups) killGroup(group);
      },
      Math.max(0, deadline - Date.now()),
    );
    // 'exit', not 'close': a background process the step started keeps the pipes open.
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    await new Promise((r) => setTimeout(r, 50));
    results.push({ name: step.name, code, signal, timedOut, output });
    if (code !== 0) break;
  }
  // A process that is shutting down gets a moment; anything still there after that was left behind.
  let leftovers = processesIn(groups);
  for (let i = 0; i < 40 && leftovers.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    leftovers = processesIn(groups);
  }
  for (const group of groups) killGroup(group);
  return { dir, results, leftovers: leftovers.map((p) => `${p.pid} ${p.cmd}`), ports };
}

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
}
