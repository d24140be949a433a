#!/usr/bin/env node
// Runs the CLI that esbuild bundled into dist/bundle/ (scripts/bundle.mjs). CommonJS, like the bundle
// (bin/package.json says so): Node 20 enters a CommonJS file without starting its ES module loader.
'use strict';
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'bundle');
// The compiled bundle is kept between runs, with what each run compiled lazily (code-cache.js). Node's own
// module.enableCompileCache (22.1+) keeps less: measured on Node 24, `--help` ran 15 % fewer instructions with ours
// (bench: start-up figures). NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's.
if (!process.env.NODE_DISABLE_COMPILE_CACHE) require('./code-cache.js').useCodeCache(bundle);

const entry = join(bundle, 'pictify-hooks.cjs');
let cli;
try {
  cli = require(entry);
} catch (error) {
  // A clone that was never built (or a dist/ removed by hand): say so in one line, not with a loader stack.
  if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes(entry)) throw error;
  const dist = join(__dirname, '..', 'dist');
  process.stderr.write(
    `error: pictify-hooks is not built (no ${dist}) — run npm run build (in a clone; the published package comes built)\n`,
  );
  process.exitCode = 1;
}
if (cli) cli.main(process.argv).then((code) => (process.exitCode = code));
