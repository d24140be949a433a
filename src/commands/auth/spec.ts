import { defineCommand, type CommandSpec } from '../../cli/spec.js';
import { statusFlags } from './flags.js';

export const spec: CommandSpec = {
  name: 'auth',
  summary: 'Which API key is in use, and whether the API accepts it',
  group: 'Secrets & auth',
  api: true,
  examples: ['pictify-hooks auth status', 'pictify-hooks auth status --json'],
  subcommands: [
    defineCommand({
      name: 'status',
      summary:
        'Show the profile, the key (masked) and where it comes from, the base url, and whether the API accepts it',
      flags: statusFlags,
      examples: ['pictify-hooks auth status', 'PICTIFY_API_KEY=pk_test_x pictify-hooks auth status --json'],
      run: async (ctx, _args, options) => (await import('./run.js')).runStatus(ctx, options),
    }),
  ],
};
