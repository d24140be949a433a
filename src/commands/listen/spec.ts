import { collect } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import type { RawListenFlags } from './run.js';
import type { RawSubscribeFlags } from './subscribe.js';

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
      flags: '--fsync',
      description: 'fsync the store before each answer, so an acknowledged event survives power loss (slower)',
    },
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
      flags: '--events <events>',
      description:
        "accept only these events (comma list, globs: 'render.*'); others: 200, marked ignored, not forwarded",
      complete: 'events',
    },
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
    {
      flags: '--subscribe <event>',
      description:
        'real Pictify deliveries: a temporary subscription for this event (repeat, or `all`) at the public url; ' +
        'deleted when listen stops',
      parse: collect,
      complete: 'events',
    },
    {
      flags: '--tunnel <name>',
      description: 'for --subscribe: start this tunnel to get a public url',
      choices: ['cloudflared', 'ngrok'],
    },
    {
      flags: '--tunnel-command <cmd>',
      description:
        "for --subscribe: any other tunnel: a command with {port} that prints its url, e.g. 'bore local {port}'",
    },
    {
      flags: '--tunnel-url-pattern <regex>',
      description: 'where the url is in --tunnel-command output (default: the first https url)',
    },
    {
      flags: '--tunnel-timeout <duration>',
      description: 'how long the tunnel may take to report its public url',
      default: '30s',
    },
    { flags: '--public-url <url>', description: 'for --subscribe: the public url of a tunnel you run yourself' },
    { flags: '--keep', description: 'keep the --subscribe subscriptions and their secrets when listen stops' },
    { flags: '--print-secret', description: 'show the secrets of the --subscribe subscriptions' },
    {
      flags: '--write-env <file>',
      description: 'write PICTIFY_WEBHOOK_SECRET=<secret> for your app to this file (e.g. .env.local), 0600',
    },
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
    'pictify-hooks listen --subscribe render.completed --tunnel cloudflared --forward-to http://localhost:4000/hooks',
    'pictify-hooks listen --forward-to http://localhost:8080/webhooks/pictify --ui',
  ],
  run: async (ctx, _args, flags: RawListenFlags & RawSubscribeFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(flags));
  },
};
