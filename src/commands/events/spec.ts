import { defineCommand } from '../../cli/spec.js';
import { listFlags, showFlags } from './flags.js';

const load = () => import('./run.js');

export const spec = defineCommand({
  name: 'events',
  summary: 'Show the deliveries `listen` stored',
  group: 'Receiving',
  examples: ['pictify-hooks events list', 'pictify-hooks events show evt_01j2…'],
  subcommands: [
    defineCommand({
      name: 'list',
      summary: 'List stored deliveries, newest first',
      flags: listFlags,
      examples: ['pictify-hooks events list --event render.completed --limit 5', 'pictify-hooks events list --json'],
      run: async (ctx, _args, options) => (await load()).runList(ctx, options),
    }),
    defineCommand({
      name: 'show',
      summary: 'Show one stored delivery: headers, body, verdict, forward result',
      arguments: [{ name: '<id>', description: 'event id (a unique prefix works), or a delivery id' }],
      flags: showFlags,
      examples: ['pictify-hooks events show evt_01j2abcd', 'pictify-hooks events show del_4f2a… --json'],
      run: async (ctx, [id]: [string], options) => (await load()).runShow(ctx, id, options),
    }),
  ],
});
