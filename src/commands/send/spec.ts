import { defineCommand } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'send',
  summary: 'Sign sample events and POST them to a receiver (also a load test)',
  description:
    'sign sample events as Pictify does and POST them to a receiver; exit 1 when an answer misses --expect. ' +
    'With --count it becomes a load test: n deliveries, each with its own delivery id and signature',
  group: 'Signing & sending',
  arguments: [{ name: '[events...]', description: `events to send (${EVENT_NAMES.join(', ')})`, complete: 'events' }],
  flags,
  examples: [
    'pictify-hooks send render.completed --url http://localhost:3000/webhooks --secret whsec_…',
    'pictify-hooks send --all --subscription wh_123',
    'pictify-hooks send render.completed --url localhost:3000/hooks --set data.templateId=tmpl_1',
    'pictify-hooks send --url localhost:3000/hooks --secret whsec_wrong --expect 401',
    'pictify-hooks send render.completed --url localhost:3000/hooks --count 5000 --concurrency 32',
  ],
  run: async (ctx, [events]: [string[]], options) => {
    const m = await import('./run.js');
    return m.run(ctx, m.parseSendFlags(events, options));
  },
});
