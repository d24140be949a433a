import type { CommandSpec } from '../../cli/spec.js';
import type { RawReplayFlags } from './run.js';

export const spec: CommandSpec = {
  name: 'replay',
  summary: 'Send stored deliveries again: re-signed with a fresh timestamp, or --as-is',
  group: 'Receiving',
  arguments: [{ name: '[ids...]', description: 'stored event ids (see `events list`), or delivery ids' }],
  options: [
    {
      flags: '--all',
      description: 'every stored delivery that verified (with --as-is or --secret: every stored POST)',
    },
    {
      flags: '--since <time>',
      description: 'with --all: received within this long (30m, 2h, 1d) or since this date',
    },
    {
      flags: '--to <url>',
      description: 'where to send, path as written (default: the --forward-to/--route target listen forwarded it to)',
    },
    {
      flags: '--secret <secret>',
      description: 'sign with this secret (default: the secret that verified it, else PICTIFY_WEBHOOK_SECRET)',
    },
    { flags: '--as-is', description: 'resend the original headers untouched (a stale signature should be rejected)' },
    { flags: '--dry-run', description: 'list what would be sent, send nothing' },
    { flags: '-y, --yes', description: 'with --all: do not ask (needed without a terminal beyond 10 deliveries)' },
    { flags: '--store <file>', description: 'event store file (default: events.jsonl in the config folder)' },
    { flags: '--timeout <duration>', description: 'per-delivery timeout', default: '30s' },
  ],
  examples: [
    'pictify-hooks replay evt_01j2abcd --to http://127.0.0.1:3000/webhooks/pictify',
    'pictify-hooks replay --all --since 1h --to http://localhost:8080/hooks',
    'pictify-hooks replay evt_01j2abcd --as-is   # expect 401: the signature is stale',
  ],
  run: async (ctx, [ids]: [string[]], flags: RawReplayFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(ctx, ids, flags));
  },
};
