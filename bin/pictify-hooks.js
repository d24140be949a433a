#!/usr/bin/env node
// Node ≥ 22.1 can keep compiled code between runs (start-up figures in the README); Node 20 has no such API.
import module from 'node:module';
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
