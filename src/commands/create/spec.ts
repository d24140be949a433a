import { PLATFORMS, RENDER_TYPES } from '../../api/contract.js';
import { parseEventName } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import type { CreateOptions } from './run.js';

export const spec: CommandSpec = {
  name: 'create',
  summary: 'Create a webhook subscription and store its signing secret',
  group: 'Subscriptions',
  options: [
    {
      flags: '--event <event>',
      description: 'event to subscribe to',
      required: true,
      parse: (v: string) => parseEventName(v, '--event'),
      complete: 'events',
    },
    { flags: '--url <url>', description: 'where Pictify delivers the events', required: true },
    { flags: '--platform <platform>', description: 'integration platform', choices: PLATFORMS },
    { flags: '--template-id <id>', description: 'only events of this template' },
    { flags: '--binding-id <id>', description: 'only events of this binding' },
    { flags: '--type <type>', description: 'only renders of this type', choices: RENDER_TYPES },
  ],
  examples: [
    'pictify-hooks create --event render.completed --url https://example.com/webhooks/pictify',
    'pictify-hooks create --event batch.completed --url https://example.com/hooks --template-id tmpl_123 --type pdf',
  ],
  run: async (ctx, _args, options: CreateOptions) => (await import('./run.js')).run(ctx, options),
};
