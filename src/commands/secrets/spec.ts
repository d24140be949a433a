import { defineCommand } from '../../cli/spec.js';
import { pruneFlags, setFlags, showFlags } from './flags.js';

const load = () => import('./run.js');

export const spec = defineCommand({
  name: 'secrets',
  summary: 'Manage the stored signing secrets of subscriptions',
  group: 'Secrets & auth',
  examples: ['pictify-hooks secrets list', 'pictify-hooks secrets show wh_123 --reveal', 'pictify-hooks secrets prune'],
  subcommands: [
    {
      name: 'list',
      summary: 'List stored secrets (masked)',
      examples: ['pictify-hooks secrets list --json'],
      run: async (ctx) => (await load()).runList(ctx),
    },
    defineCommand({
      name: 'show',
      summary: 'Show the stored secret of a subscription',
      arguments: [{ name: '<uid>' }],
      flags: showFlags,
      examples: ['pictify-hooks secrets show wh_123', 'pictify-hooks secrets show wh_123 --reveal'],
      run: async (ctx, [uid]: [string], options) => (await load()).runShow(ctx, uid, options),
    }),
    defineCommand({
      name: 'set',
      summary: 'Store the secret of a subscription created elsewhere (e.g. the dashboard)',
      arguments: [{ name: '<uid>' }, { name: '<secret>' }],
      flags: setFlags,
      examples: ['pictify-hooks secrets set wh_123 whsec_abc --url https://example.com/hooks'],
      run: async (ctx, [uid, secret]: [string, string], options) => (await load()).runSet(ctx, uid, secret, options),
    }),
    {
      name: 'rm',
      summary: 'Forget the stored secret of a subscription',
      arguments: [{ name: '<uid>' }],
      examples: ['pictify-hooks secrets rm wh_123'],
      run: async (ctx, [uid]: [string]) => (await load()).runRm(ctx, uid),
    },
    defineCommand({
      name: 'prune',
      summary: 'Forget the secrets of subscriptions that no longer exist at the current API',
      flags: pruneFlags,
      examples: ['pictify-hooks secrets prune --dry-run', 'pictify-hooks secrets prune --other-apis'],
      run: async (ctx, _args: [], options) => (await import('./prune.js')).runPrune(ctx, options),
    }),
  ],
});
