import { parseDuration, parseSince } from '../../cli/flags.js';
import { bool, text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  all: bool('--all', 'every stored delivery that verified (with --as-is or --secret: every stored POST)'),
  /** Milliseconds since the epoch. */
  includeReplays: bool(
    '--include-replays',
    'with --all: also send later copies of a delivery id already sent (earlier replays, retries)',
  ),
  sinceMs: value(
    '--since <time>',
    'with --all: received within this long (30m, 2h, 1d) or since this date',
    (v, f, ctx) => parseSince(v, ctx.now(), f),
  ),
  to: text(
    '--to <url>',
    'where to send, path as written (default: the --forward-to/--route target listen forwarded it to)',
  ),
  secret: text(
    '--secret <secret>',
    'sign with this secret (default: the secret that verified it, else PICTIFY_WEBHOOK_SECRET)',
  ),
  asIs: bool('--as-is', 'resend the original headers untouched (a stale signature should be rejected)'),
  dryRun: bool('--dry-run', 'list what would be sent, send nothing'),
  yes: bool('-y, --yes', 'with --all: do not ask (needed without a terminal beyond 10 deliveries)'),
  store: text('--store <file>', 'event store file (default: events.jsonl in the config folder)'),
  timeoutMs: value('--timeout <duration>', 'per-delivery timeout', (v, f) => parseDuration(v, f), { default: '30s' }),
};
export type ReplayFlags = FlagValues<typeof flags>;
