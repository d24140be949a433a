import { collect } from '../cli/flags.js';
import type { CommandSpec } from '../cli/spec.js';
import type { RawListenFlags } from './listen-run.js';

export const spec: CommandSpec = {
  name: 'listen',
  summary: 'Receive deliveries locally: verify each one strictly, show it, store it, optionally forward it to your app',
  group: 'Receiving',
  options: [
    { flags: '--port <n>', description: 'port to listen on (0 picks a free one)', default: '3000' },
    { flags: '--host <host>', description: 'address to bind', default: '127.0.0.1' },
    { flags: '--path <path>', description: 'accept deliveries only on this path (default: every path)' },
    {
      flags: '--secret <secret>',
      description:
        'secret to verify with; repeat for several (default: PICTIFY_WEBHOOK_SECRET, else every stored secret)',
      parse: collect,
    },
    {
      flags: '--tolerance <seconds>',
      description: 'accepted signature age, e.g. 300 or 10m (default 300 s; 1 s to 7 days)',
    },
    {
      flags: '--forward-to <url>',
      description: 'forward each verified delivery, byte for byte, to your app and relay its answer',
    },
    {
      flags: '--route <glob=url>',
      description:
        "forward events matching a glob elsewhere, e.g. 'render.*=http://localhost:4000/r'; repeatable, first match wins",
      parse: collect,
    },
    {
      flags: '--forward-timeout <duration>',
      description: 'how long the app may take before the sender gets a 504',
      default: '30s',
    },
    { flags: '--store <file>', description: 'event store file (default: events.jsonl in the config folder)' },
    { flags: '--no-store', description: 'do not store deliveries' },
    {
      flags: '--store-max <size>',
      description: 'rotate the event store at this size, keeping one previous file',
      default: '50mb',
    },
    { flags: '--max-body <size>', description: 'largest body accepted (413 above it)', default: '1mb' },
    {
      flags: '--strict',
      description: 'reject (422) verified payloads that do not match the event schema, instead of warning',
    },
    { flags: '--exit-after <n>', description: 'exit 0 after n verified deliveries' },
    {
      flags: '--wait-for <event>',
      description: 'exit 0 when a verified delivery of this event (or glob) arrives',
      complete: 'events',
    },
    {
      flags: '--timeout <duration>',
      description: 'with --exit-after/--wait-for: exit 1 if that has not happened in time (30s, 2m)',
    },
    { flags: '--ready-file <file>', description: 'write the listening url to this file once ready (removed on exit)' },
    { flags: '--ui', description: 'serve the inspector page on 127.0.0.1: every delivery, live, with replay' },
    { flags: '--ui-port <n>', description: 'with --ui: the page’s port (default 4141; 0 picks a free one)' },
    { flags: '--open', description: 'with --ui: open the page in the default browser' },
    {
      flags: '--allow-remote-replay',
      description: 'with --ui: let the page replay to non-loopback URLs (default: loopback only)',
    },
  ],
  examples: [
    'pictify-hooks listen --port 3000 --secret whsec_…',
    'pictify-hooks listen --forward-to http://localhost:8080/webhooks/pictify',
    "pictify-hooks listen --route 'render.*=http://localhost:4000/renders' --forward-to http://localhost:4000/other",
    'pictify-hooks listen --port 0 --ready-file .listen-url --exit-after 6 --timeout 60s --json',
    'pictify-hooks listen --forward-to http://localhost:8080/webhooks/pictify --ui',
  ],
  run: async (ctx, _args, flags: RawListenFlags) => {
    const m = await import('./listen-run.js');
    return m.run(ctx, m.toOptions(flags));
  },
};
