import {
  parseCount,
  parseDuration,
  parseEventPattern,
  parseEventPatterns,
  parseHttpUrl,
  parsePort,
  parseRoute,
  parseSize,
  parseTolerance,
} from '../../cli/flags.js';
import { bool, grouped, list, oneOf, text, value, type FlagValues } from '../../cli/spec.js';
import { TUNNEL_NAMES } from '../../receiver/tunnel/providers/index.js';

const duration = (v: string, f: string) => parseDuration(v, f);

export const flags = {
  ...grouped('Receiving', {
    port: value('--port <n>', 'port to listen on (0 picks a free one)', parsePort, { default: '3000' }),
    host: text('--host <host>', 'address to bind', { default: '127.0.0.1' }),
    path: text('--path <path>', 'accept deliveries only on this path (default: every path)'),
    secrets: list(
      '--secret <secret>',
      'secret to verify with; repeat for several (default: PICTIFY_WEBHOOK_SECRET, else the stored secrets of the API in use)',
    ),
    toleranceSeconds: value(
      '--tolerance <seconds>',
      'accepted signature age, e.g. 300 or 10m (default 300 s; 1 s to 7 days)',
      parseTolerance,
    ),
    maxBodyBytes: value('--max-body <size>', 'largest body accepted (413 above it)', parseSize, { default: '1mb' }),
    strict: bool('--strict', 'reject (422) verified payloads that do not match the event schema, instead of warning'),
    events: value(
      '--events <events>',
      "accept only these events (comma list, globs: 'render.*'); others: 200, marked ignored, not forwarded",
      parseEventPatterns,
      { complete: 'events' },
    ),
  }),
  ...grouped('Forwarding', {
    forwardTo: value(
      '--forward-to <url>',
      'forward each verified delivery, byte for byte, to your app and relay its answer',
      (v, f) => parseHttpUrl(v, f).href,
    ),
    routes: list(
      '--route <glob=url>',
      "forward events matching a glob elsewhere, e.g. 'render.*=http://localhost:4000/r'; repeatable, first match wins",
      parseRoute,
    ),
    forwardTimeoutMs: value(
      '--forward-timeout <duration>',
      'how long the app may take before the sender gets a 504',
      duration,
      {
        default: '30s',
      },
    ),
  }),
  ...grouped('Store', {
    store: text('--store <file>', 'event store file (default: events.jsonl in the config folder)'),
    noStore: bool('--no-store', 'do not store deliveries'),
    fsync: bool('--fsync', 'fsync the store before each answer, so an acknowledged event survives power loss (slower)'),
    storeMaxBytes: value(
      '--store-max <size>',
      'rotate the event store at this size, keeping one previous file',
      parseSize,
      {
        default: '50mb',
      },
    ),
  }),
  ...grouped('CI', {
    exitAfter: value('--exit-after <n>', 'exit 0 after n verified deliveries', (v, f) => parseCount(v, f)),
    waitFor: value(
      '--wait-for <event>',
      'exit 0 when a verified delivery of this event (or glob) arrives',
      parseEventPattern,
      {
        complete: 'events',
      },
    ),
    timeoutMs: value(
      '--timeout <duration>',
      'with --exit-after/--wait-for: exit 1 if that has not happened in time (30s, 2m)',
      duration,
    ),
    readyFile: text('--ready-file <file>', 'write the listening url to this file once ready (removed on exit)'),
  }),
  ...grouped('Tunnel (real Pictify deliveries)', {
    subscribe: list(
      '--subscribe <event>',
      'real Pictify deliveries: a temporary subscription for this event (repeat, or `all`) at the public url; ' +
        'deleted when listen stops',
      undefined,
      { complete: 'events' },
    ),
    tunnel: oneOf('--tunnel <name>', 'for --subscribe: start this tunnel to get a public url', TUNNEL_NAMES),
    tunnelCommand: text(
      '--tunnel-command <cmd>',
      "for --subscribe: any other tunnel: a command with {port} that prints its url, e.g. 'bore local {port}'",
    ),
    tunnelUrlPattern: text(
      '--tunnel-url-pattern <regex>',
      'where the url is in --tunnel-command output (default: the first https url)',
    ),
    tunnelTimeoutMs: value(
      '--tunnel-timeout <duration>',
      'how long the tunnel may take to report its public url',
      duration,
      {
        default: '30s',
      },
    ),
    publicUrl: text('--public-url <url>', 'for --subscribe: the public url of a tunnel you run yourself'),
    keep: bool('--keep', 'keep the --subscribe subscriptions and their secrets when listen stops'),
    printSecret: bool('--print-secret', 'show the secrets of the --subscribe subscriptions'),
    writeEnv: text(
      '--write-env <file>',
      'with one --subscribe event: write its PICTIFY_WEBHOOK_SECRET=<secret> line for your app to this file ' +
        '(e.g. .env.local; only that line replaced, 0600)',
    ),
  }),
  ...grouped('Inspector', {
    ui: bool('--ui', 'serve the inspector page on 127.0.0.1: every delivery, live, with replay'),
    uiPort: value('--ui-port <n>', 'with --ui: the page’s port (default 4141; 0 picks a free one)', parsePort),
    open: bool('--open', 'with --ui: open the page in the default browser'),
    allowRemoteReplay: bool(
      '--allow-remote-replay',
      'with --ui: let the page replay to non-loopback URLs (default: loopback only)',
    ),
  }),
};
export type ListenFlags = FlagValues<typeof flags>;
