#!/usr/bin/env node
// Node ≥ 22.1 can keep compiled code between runs (start-up figures in the README); Node 20 has no such API.
import module from 'node:module';
import { readFileSync } from 'node:fs';
module.enableCompileCache?.();
const args = process.argv.slice(2);
// `--help` on a pipe or a file: the page the build rendered with commander (scripts/help-snapshot.mjs), without
// loading it. A terminal's width changes the wrapping, so there commander renders it.
const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !process.stdout.isTTY && snapshot();
if (help) {
  process.stdout.on('error', () => undefined); // a reader that already left (`| head -0`) is its choice, not a crash
  process.stdout.write(help);
} else process.exitCode = await (await import('../dist/cli/main.js')).main(process.argv);

function snapshot() {
  try {
    return readFileSync(new URL('../dist/cli/root-help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined; // a build without it (tsc alone): commander renders it
  }
}
