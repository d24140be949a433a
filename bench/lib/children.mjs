// Every process the bench starts is registered here and stopped by its PID at the end — also on an error, a
// signal or the time cap — so a failed run never leaves a server holding a port or the CPU.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();

/**
 * Starts `node <args>` with stdout to /dev/null (the receivers print a line per delivery; the terminal must not
 * be what is measured) and stderr kept in memory for diagnostics.
 */
export function startNode(args, { env, name, stdout = 'null' }) {
  const devNull = stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
  });
  if (devNull !== undefined) closeSync(devNull);
  const entry = { child, name, stderr: '', stdout: '', exited: null };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => {
    if (entry.stderr.length < 64 * 1024) entry.stderr += s;
  });
  if (child.stdout) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s) => {
      if (entry.stdout.length < 1024 * 1024) entry.stdout += s;
    });
  }
  entry.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(entry);
      resolve({ code, signal });
    });
  });
  child.once('error', (error) => {
    entry.stderr += `\nspawn failed: ${error.message}`;
  });
  live.add(entry);
  return entry;
}

/** Polls for a --ready-file (written whole, then renamed) and returns the url in it. */
export async function waitForReadyFile(entry, file, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  entry.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${entry.name} exited before it was ready:\n${entry.stderr.trim()}`);
    try {
      const url = (await readFile(file, 'utf8')).trim();
      if (url) return url;
    } catch {
      // not there yet
    }
    await sleep(20);
  }
  throw new Error(`${entry.name} was not ready after ${timeoutMs} ms:\n${entry.stderr.trim()}`);
}

/** SIGTERM by PID, then SIGKILL if it has not gone within the grace period. */
export async function stop(entry, graceMs = 5_000) {
  if (!live.has(entry)) return entry.exited;
  try {
    process.kill(entry.child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(entry.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  const result = await entry.exited;
  clearTimeout(timer);
  return result;
}

export async function stopAll() {
  await Promise.all([...live].map((e) => stop(e)));
}

/** Last resort on process exit: synchronous, so only SIGKILL by PID. */
export function killAllNow() {
  for (const entry of live) {
    try {
      process.kill(entry.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** VmRSS and VmHWM (peak) of a process, in bytes, from /proc. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`no ${key} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

// USER_HZ is 100 on every Linux the bench targets; getconf is not worth a spawn.
const CLOCK_TICKS = 100;
