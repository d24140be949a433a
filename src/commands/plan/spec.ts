import { defineCommand } from '../../cli/spec.js';
import { fileFlags } from '../shared/subscriptions-as-code-flags.js';

export const spec = defineCommand({
  name: 'plan',
  summary: 'Show what apply would change to make Pictify match a subscriptions file (exit 2: changes pending)',
  description:
    'Compares pictify-hooks.yaml with the live subscriptions of the profile: create, update in place, replace (a new ' +
    'event: new subscription, new secret), delete (--prune), drift, adoption. Exit 0 no changes, 2 changes pending, ' +
    '1 error.',
  group: 'Subscriptions',
  api: true,
  flags: fileFlags,
  examples: [
    'pictify-hooks plan',
    'pictify-hooks plan -f subscriptions.yaml --profile staging',
    'pictify-hooks plan --json',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
