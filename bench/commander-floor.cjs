// The least a commander-based CLI pays for `sign`'s job and for `--help`, for the start-up figure's "commander's
// floor": a CommonJS entry (like bin/) that require()s commander (as main.js does), then either one command with
// sign's argument and option parsed, node:crypto loaded for the HMAC and one line written to process.stdout; or, for
// `--help`, a program of as many commands and global options as ours (each with a one-line summary like ours)
// whose help commander renders. What we cost above this is ours.
'use strict';
const { Command } = require('commander');

const COMMANDS = 30; // src/commands/index.ts lists 30
const GLOBAL_OPTIONS = 7; // src/cli/global-options.ts

const program = new Command('pictify-hooks');
program.description('Pictify webhooks from the terminal and CI: subscriptions, secrets, listen, sign, send, verify.');
for (let i = 0; i < GLOBAL_OPTIONS; i++)
  program.option(`--global-${i} <value>`, `a global option number ${i}, e.g. 10s`);
program
  .command('sign')
  .argument('<event>')
  .option('--secret <secret>')
  .action((event, options) => {
    const { createHmac } = require('node:crypto');
    const t = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ event, timestamp: new Date(t * 1000).toISOString() });
    const v1 = createHmac('sha256', options.secret).update(`${t}.${body}`).digest('hex');
    process.stdout.write(`X-Pictify-Signature: t=${t},v1=${v1}\n`);
  });
for (let i = 1; i < COMMANDS; i++)
  program.command(`command-${i}`).description(`What command ${i} does, in one line of about seventy characters`);
program.parse();
