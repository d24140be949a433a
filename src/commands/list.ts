import { MAX_LIMIT, PLATFORMS, RENDER_TYPES, SUBSCRIPTION_STATUSES } from '../api/contract.js';
import { parseEventPattern, parseCount } from '../cli/flags.js';
import type { CommandSpec } from '../cli/spec.js';
import type { ListOptions } from './list-run.js';

export const spec: CommandSpec = {
  name: 'list',
  aliases: ['ls'],
  summary: 'List webhook subscriptions',
  group: 'Subscriptions',
  options: [
    {
      flags: '--event <event>',
      description: 'only this event or glob (render.*)',
      parse: (v: string) => parseEventPattern(v, '--event'),
      complete: 'events',
    },
    { flags: '--status <status>', description: 'only this status', choices: SUBSCRIPTION_STATUSES },
    { flags: '--platform <platform>', description: 'only this platform', choices: PLATFORMS },
    { flags: '--template-id <id>', description: 'only subscriptions filtered to this template' },
    { flags: '--binding-id <id>', description: 'only subscriptions filtered to this binding' },
    { flags: '--type <type>', description: 'only subscriptions filtered to this render type', choices: RENDER_TYPES },
    { flags: '--url <substring>', description: 'only target urls containing this' },
    { flags: '--all', description: 'fetch every page' },
    {
      flags: '--limit <n>',
      description: `page size (1-${MAX_LIMIT})`,
      parse: (v) => parseCount(v, '--limit', { max: MAX_LIMIT }),
    },
    { flags: '--page <n>', description: 'page number', parse: (v) => parseCount(v, '--page') },
  ],
  examples: [
    'pictify-hooks list',
    'pictify-hooks list --event render.completed --status active',
    'pictify-hooks list --all --json',
  ],
  run: async (ctx, _args, options: ListOptions) => (await import('./list-run.js')).run(ctx, options),
};
