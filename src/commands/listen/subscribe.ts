// The `--subscribe` flags of listen, checked when the command line is read, before anything starts.
import { UsageError } from '../../cli/errors.js';
import { EVENT_NAMES, type EventName } from '../../events/names.js';
import type { TunnelChoice } from '../../receiver/tunnel/session.js';
import type { SubscribeOptions } from '../../receiver/session/options.js';
import { commandTunnel, publicUrlTunnel, TUNNEL_NAMES } from '../../receiver/tunnel/providers/index.js';
import { parseEventName, parseHttpUrl } from '../../cli/flags.js';
import type { ListenFlags } from './flags.js';

type SubscribeFlags = Pick<
  ListenFlags,
  | 'subscribe'
  | 'tunnel'
  | 'tunnelCommand'
  | 'tunnelUrlPattern'
  | 'tunnelTimeoutMs'
  | 'publicUrl'
  | 'keep'
  | 'printSecret'
  | 'writeEnv'
>;

/** `all` is the six events; a typo is a usage error with a suggestion. Duplicates collapse. */
export function parseSubscribeEvents(values: readonly string[]): EventName[] {
  const events = new Set<EventName>();
  for (const value of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (value === 'all') EVENT_NAMES.forEach((e) => events.add(e));
    else events.add(parseEventName(value, '--subscribe'));
  }
  return [...events];
}

/** undefined when listen runs without --subscribe (and then none of its companions may be given). */
export function subscribeOptions(flags: SubscribeFlags): SubscribeOptions | undefined {
  const choices = [
    flags.tunnel !== undefined && '--tunnel',
    flags.tunnelCommand !== undefined && '--tunnel-command',
    flags.publicUrl !== undefined && '--public-url',
  ].filter((c): c is string => c !== false);
  if (flags.subscribe.length === 0) {
    refuseStrayCompanions(flags, choices);
    return undefined;
  }
  if (choices.length !== 1) {
    throw new UsageError(
      choices.length === 0
        ? '--subscribe needs a public URL for Pictify to deliver to'
        : `use only one of ${choices.join(', ')}`,
      {
        hint: `pass ${TUNNEL_NAMES.map((n) => `--tunnel ${n}`).join(', ')}, --tunnel-command "<cmd with {port}>" or --public-url <url>`,
      },
    );
  }
  if (flags.tunnelUrlPattern !== undefined && flags.tunnelCommand === undefined) {
    throw new UsageError('--tunnel-url-pattern only works with --tunnel-command');
  }
  const events = parseSubscribeEvents(flags.subscribe);
  if (flags.writeEnv !== undefined && events.length > 1) refuseSeveralSecretsInEnv(events);
  return {
    events,
    tunnel: tunnelChoice(flags),
    tunnelTimeoutMs: flags.tunnelTimeoutMs,
    keep: flags.keep,
    printSecret: flags.printSecret,
    writeEnv: flags.writeEnv,
  };
}

/**
 * --write-env writes one PICTIFY_WEBHOOK_SECRET, and Pictify gives each subscription its own secret: a one-secret
 * verifier (Pictify's own verifyWebhookSignature) would then reject every delivery of the other events with 401 and
 * nothing would say why. Refused before anything is created.
 */
function refuseSeveralSecretsInEnv(events: readonly string[]): void {
  throw new UsageError(
    `--write-env writes one PICTIFY_WEBHOOK_SECRET, but ${events.length} events (${events.join(', ')}) make ` +
      `${events.length} subscriptions, each with its own secret: a one-secret verifier would reject all but one`,
    {
      hint:
        'run one listen --subscribe <event> --write-env per event, or drop --write-env and verify with every ' +
        'secret in your app (createWebhookHandler({ secrets }); --print-secret shows them)',
    },
  );
}

/** Without --subscribe, its companions would do nothing: a usage error naming them. */
function refuseStrayCompanions(flags: SubscribeFlags, choices: string[]): void {
  const stray = [
    ...choices,
    flags.keep && '--keep',
    flags.printSecret && '--print-secret',
    flags.writeEnv && '--write-env',
  ]
    .filter(Boolean)
    .join(', ');
  if (stray) {
    throw new UsageError(`${stray} only work${stray.includes(',') ? '' : 's'} with --subscribe <event>`, {
      hint: `e.g. pictify-hooks listen --subscribe render.completed --tunnel ${TUNNEL_NAMES[0]}`,
    });
  }
}

/** The one of --tunnel, --tunnel-command and --public-url given (subscribeOptions checked there is one). */
function tunnelChoice(flags: SubscribeFlags): TunnelChoice {
  if (flags.tunnel !== undefined) {
    return { kind: flags.tunnel };
  }
  if (flags.tunnelCommand !== undefined) {
    if (!flags.tunnelCommand.includes('{port}')) {
      throw new UsageError('--tunnel-command must contain {port}', {
        hint: "e.g. --tunnel-command 'bore local {port} --to bore.pub'",
      });
    }
    if (flags.tunnelUrlPattern !== undefined) {
      try {
        new RegExp(flags.tunnelUrlPattern);
      } catch (error) {
        throw new UsageError(`--tunnel-url-pattern: ${(error as Error).message}`);
      }
    }
    return { kind: commandTunnel.name, command: flags.tunnelCommand, urlPattern: flags.tunnelUrlPattern };
  }
  const url = parseHttpUrl(flags.publicUrl!, '--public-url');
  if (url.search || url.hash) throw new UsageError('--public-url: give the base url, without ?query or #fragment');
  return { kind: publicUrlTunnel.name, url: url.toString() };
}
