import { RENDER_TYPES } from '../api/contract.js';
import type { CommandSpec } from '../cli/spec.js';
import type { UpdateOptions } from './update-run.js';

export const spec: CommandSpec = {
  name: 'update',
  summary: "Change a subscription's url, filters or status",
  group: 'Subscriptions',
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  options: [
    { flags: '--url <url>', description: 'new target url' },
    { flags: '--template-id <id>', description: "filter to this template ('' removes this filter)" },
    { flags: '--binding-id <id>', description: "filter to this binding ('' removes this filter)" },
    {
      flags: '--type <type>',
      description: "filter to this render type ('' removes this filter)",
      choices: [...RENDER_TYPES, ''],
    },
    { flags: '--clear-filters', description: 'remove every filter (combine with the flags above to start afresh)' },
    { flags: '--status <status>', description: 'pause or resume deliveries', choices: ['active', 'paused'] },
  ],
  examples: [
    'pictify-hooks update wh_123 --url https://example.com/new-hook',
    'pictify-hooks update wh_123 --status paused',
    "pictify-hooks update wh_123 --template-id ''",
    'pictify-hooks update wh_123 --clear-filters',
  ],
  run: async (ctx, [uid]: [string], options: UpdateOptions) => (await import('./update-run.js')).run(ctx, uid, options),
};
