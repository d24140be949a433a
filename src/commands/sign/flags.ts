import { parseHttpUrl, parseUnixSeconds } from '../../cli/flags.js';
import { text, value, type Flag, type FlagValues } from '../../cli/spec.js';

export const flags = {
  payload: text('--payload <@file|->', 'sign these exact bytes instead of a sample (@file, - for stdin)'),
  secret: text('--secret <secret>', 'webhook secret (default PICTIFY_WEBHOOK_SECRET)'),
  subscription: text('--subscription <uid>', 'use the stored secret of this subscription (and its url for --curl)'),
  /** Unix seconds; default now. */
  timestamp: value('--timestamp <unix-seconds>', 'signature timestamp (default now)', parseUnixSeconds),
  deliveryId: text(
    '--delivery-id <id>',
    'delivery id of the generated sample (default: random; derived from --timestamp when that is given)',
  ),
  /** A url, or `true` for `--curl` alone: the --subscription's stored url. */
  curl: {
    flags: '--curl [url]',
    description:
      'print a ready-to-run curl command that posts the signed delivery to <url> (default: the url of --subscription)',
    value: (raw: unknown): URL | true | undefined =>
      raw === true ? true : typeof raw === 'string' ? parseHttpUrl(raw, '--curl') : undefined,
  } satisfies Flag<URL | true | undefined>,
};
export type SignFlags = FlagValues<typeof flags>;
