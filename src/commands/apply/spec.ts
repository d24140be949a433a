import type { CommandSpec } from '../../cli/spec.js';
import { FILE_OPTION, PRUNE_OPTION } from '../shared/subscriptions-as-code-flags.js';
import type { ApplyOptions } from './run.js';

export const spec: CommandSpec = {
  name: 'apply',
  summary: 'Make Pictify match a subscriptions file: create, update, replace, delete; each new secret stored first',
  description:
    'Plans like `plan`, asks on a terminal (never without one unless --yes), then applies one change at a time. ' +
    'Each new secret is saved to the profile (0600) before the next API call; an apply that stops halfway is ' +
    'finished by the next one, and a second apply finds nothing to do.',
  group: 'Subscriptions',
  options: [
    FILE_OPTION,
    PRUNE_OPTION,
    { flags: '-y, --yes', description: 'do not ask for confirmation (needed without a terminal)' },
    {
      flags: '--secret-env <file>',
      description: 'also write each new secret as PICTIFY_WEBHOOK_SECRET_<NAME>=… to this env file (0600)',
    },
  ],
  examples: [
    'pictify-hooks apply',
    'pictify-hooks apply --yes --secret-env .env.local',
    'pictify-hooks apply -f subscriptions.yaml --profile production --prune --yes',
  ],
  run: async (ctx, _args, options: ApplyOptions) => (await import('./run.js')).run(ctx, options),
};
