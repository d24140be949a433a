import { parseEventName } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';
import { SIGNATURE_HEADER } from '../../signing/constants.js';
import type { SignFlags } from './run.js';

const DEFAULT_EVENT = 'render.completed';

export const spec: CommandSpec = {
  name: 'sign',
  summary: 'Sign a payload the way Pictify does and print the X-Pictify-Signature header',
  description:
    `sign a payload the way Pictify does and print the ${SIGNATURE_HEADER} header. Without <event> or --payload ` +
    `it signs a fresh ${DEFAULT_EVENT} sample; a generated sample is printed after the header, since its ` +
    'exact bytes are what was signed',
  group: 'Signing & sending',
  arguments: [
    {
      name: '[event]',
      description: `sample event to sign (${EVENT_NAMES.join(', ')}); default ${DEFAULT_EVENT}`,
      complete: 'events',
    },
  ],
  options: [
    { flags: '--payload <@file|->', description: 'sign these exact bytes instead of a sample (@file, - for stdin)' },
    { flags: '--secret <secret>', description: 'webhook secret (default PICTIFY_WEBHOOK_SECRET)' },
    {
      flags: '--subscription <uid>',
      description: 'use the stored secret of this subscription (and its url for --curl)',
    },
    { flags: '--timestamp <unix-seconds>', description: 'signature timestamp (default now)' },
    {
      flags: '--delivery-id <id>',
      description: 'delivery id of the generated sample (default: random; derived from --timestamp when that is given)',
    },
    { flags: '--curl <url>', description: 'print a ready-to-run curl command that posts the signed delivery to <url>' },
  ],
  examples: [
    'pictify-hooks sign --secret whsec_… render.completed',
    'pictify-hooks sign --payload @body.json --timestamp 1700000000',
    'pictify-hooks sign --subscription wh_123 batch.completed --curl http://localhost:3000/webhooks | sh',
    'pictify-hooks sign --json | jq -r .header',
  ],
  run: async (ctx, [event]: [string | undefined], flags: SignFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(event === undefined ? undefined : parseEventName(event), flags));
  },
};
