import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'apply',
  summary: 'Make Pictify match a subscriptions file: create, update, replace, delete; each new secret stored first',
  description:
    'Plans like `plan`, asks on a terminal (never without one unless --yes), then applies one change at a time. ' +
    'Each new secret is saved to the profile (0600) before the next API call; an apply that stops halfway is ' +
    'finished by the next one, and a second apply finds nothing to do.',
  group: 'Subscriptions',
  api: true,
  flags,
  examples: [
    'pictify-hooks apply',
    'pictify-hooks apply --yes --secret-env .env.local',
    'pictify-hooks apply -f subscriptions.yaml --profile production --prune --yes',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
