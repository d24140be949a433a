import type { CommandSpec } from '../../cli/spec.js';

const load = () => import('./run.js');

export const spec: CommandSpec = {
  name: 'secrets',
  summary: 'Manage the stored signing secrets of subscriptions',
  group: 'Secrets & auth',
  examples: ['pictify-hooks secrets list', 'pictify-hooks secrets show wh_123 --reveal'],
  subcommands: [
    {
      name: 'list',
      summary: 'List stored secrets (masked)',
      examples: ['pictify-hooks secrets list --json'],
      run: async (ctx) => (await load()).runList(ctx),
    },
    {
      name: 'show',
      summary: 'Show the stored secret of a subscription',
      arguments: [{ name: '<uid>' }],
      options: [{ flags: '--reveal', description: 'print the secret itself' }],
      examples: ['pictify-hooks secrets show wh_123', 'pictify-hooks secrets show wh_123 --reveal'],
      run: async (ctx, [uid]: [string], options: { reveal?: boolean }) => (await load()).runShow(ctx, uid, options),
    },
    {
      name: 'set',
      summary: 'Store the secret of a subscription created elsewhere (e.g. the dashboard)',
      arguments: [{ name: '<uid>' }, { name: '<secret>' }],
      options: [
        { flags: '--event <event>', description: "the subscription's event, for display" },
        { flags: '--url <url>', description: "the subscription's target url, used by `send --subscription`" },
      ],
      examples: ['pictify-hooks secrets set wh_123 whsec_abc --url https://example.com/hooks'],
      run: async (ctx, [uid, secret]: [string, string], options: { event?: string; url?: string }) =>
        (await load()).runSet(ctx, uid, secret, options),
    },
    {
      name: 'rm',
      summary: 'Forget the stored secret of a subscription',
      arguments: [{ name: '<uid>' }],
      examples: ['pictify-hooks secrets rm wh_123'],
      run: async (ctx, [uid]: [string]) => (await load()).runRm(ctx, uid),
    },
  ],
};
