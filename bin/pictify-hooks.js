#!/usr/bin/env node
// CommonJS (bin/package.json says so): Node 20 enters a CommonJS file ~8 ms faster than an ES module, which is most of
// what `--help` cost above bare Node (bench: start-up figures). The program itself is ESM, loaded below.
'use strict';
const { fstatSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const args = process.argv.slice(2);
// `--help` on a pipe or a file: the page the build rendered with commander (scripts/help-snapshot.mjs), without
// loading it. A terminal's width changes the wrapping, so there commander renders it. fstat, not
// process.stdout.isTTY, and writeSync, not process.stdout: creating process.stdout loads Node's tty, net and stream
// modules, which cost more than the rest of this path (bench: start-up figures).
const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !onCharacterDevice() && snapshot();
if (help) writeAll(help);
else {
  // Node ≥ 22.1 can keep compiled code between runs (start-up figures in the README); Node 20 has no such API. Not on
  // the --help path above, which compiles nothing of ours and would only pay for opening the cache.
  require('node:module').enableCompileCache?.();
  import('../dist/cli/main.js').then(
    async ({ main }) => {
      process.exitCode = await main(process.argv);
    },
    (error) => {
      // A clone that was never built (or a dist/ removed by hand): say so in one line, not with a loader stack.
      if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(join('dist', 'cli', 'main.js')))
        throw error;
      writeSync(
        2,
        `error: pictify-hooks is not built (no ${join(__dirname, '..', 'dist')}) — run npm install, which builds it\n`,
      );
      process.exitCode = 1;
    },
  );
}

function onCharacterDevice() {
  try {
    return fstatSync(1).isCharacterDevice(); // a terminal (or /dev/null, where rendering costs nothing extra)
  } catch {
    return true; // no stdout to look at: let the program decide
  }
}

function snapshot() {
  try {
    return readFileSync(join(__dirname, '../dist/cli/root-help.txt'), 'utf8');
  } catch {
    return undefined; // a build without it (tsc alone): commander renders it
  }
}

function writeAll(text) {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) {
    try {
      at += writeSync(1, bytes, at);
    } catch (error) {
      if (error.code === 'EAGAIN') {
        // A non-blocking pipe that is full: hand the rest to the stream, which waits for the reader.
        process.stdout.on('error', () => undefined);
        process.stdout.write(bytes.subarray(at));
      }
      return; // EPIPE and the like: a reader that already left (`| head -0`) is its choice, not a crash
    }
  }
}
