import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'List webhook subscriptions',
  group: 'Subscriptions',
  api: true,
  flags,
  examples: [
    'pictify-hooks list',
    'pictify-hooks list --event render.completed --status active',
    'pictify-hooks list --all --json',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
