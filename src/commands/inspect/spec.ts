import type { CommandSpec } from '../../cli/spec.js';
import type { RawInspectFlags } from './run.js';

export const spec: CommandSpec = {
  name: 'inspect',
  summary: 'Browse the event store in a local web page (read-only; `listen --ui` adds live replay)',
  group: 'Receiving',
  options: [
    { flags: '--store <file>', description: 'event store file (default: events.jsonl in the config folder)' },
    { flags: '--ui-port <n>', description: 'port for the page on 127.0.0.1 (default 4141; 0 picks a free one)' },
    { flags: '--open', description: 'open the page in the default browser' },
    { flags: '--ready-file <file>', description: 'write the page’s url (with its token) to this file once ready' },
  ],
  examples: ['pictify-hooks inspect', 'pictify-hooks inspect --store ./ci-events.jsonl --ui-port 0 --open'],
  run: async (ctx, _args, flags: RawInspectFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(flags));
  },
};
