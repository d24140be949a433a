import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'replay',
  summary: 'Send stored deliveries again: re-signed with a fresh timestamp, or --as-is',
  group: 'Receiving',
  arguments: [{ name: '[ids...]', description: 'stored event ids (see `events list`), or delivery ids' }],
  flags,
  examples: [
    'pictify-hooks replay evt_01j2abcd --to http://127.0.0.1:3000/webhooks/pictify',
    'pictify-hooks replay --all --since 1h --to http://localhost:8080/hooks',
    'pictify-hooks replay evt_01j2abcd --as-is   # expect 401: the signature is stale',
  ],
  run: async (ctx, [ids]: [string[]], options) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(ids, options));
  },
});
