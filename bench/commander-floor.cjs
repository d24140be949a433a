// The least a commander-based CLI pays for `sign`'s job, for the start-up figure's "commander's floor": a CommonJS
// entry (like bin/) that require()s commander (as main.js does), one command with sign's argument and option
// parsed, node:crypto loaded for the HMAC, one line written to process.stdout. What `sign` costs above this is ours.
'use strict';
const { createHmac } = require('node:crypto');
const { Command } = require('commander');

const program = new Command('pictify-hooks');
program
  .command('sign')
  .argument('<event>')
  .option('--secret <secret>')
  .action((event, options) => {
    const t = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ event, timestamp: new Date(t * 1000).toISOString() });
    const v1 = createHmac('sha256', options.secret).update(`${t}.${body}`).digest('hex');
    process.stdout.write(`X-Pictify-Signature: t=${t},v1=${v1}\n`);
  });
program.parse();
