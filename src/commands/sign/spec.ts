import { parseEventName } from '../../cli/flags.js';
import { defineCommand } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';
import { SIGNATURE_HEADER } from '../../signing/constants.js';
import { flags } from './flags.js';

const DEFAULT_EVENT = 'render.completed';

export const spec = defineCommand({
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
  flags,
  examples: [
    'pictify-hooks sign --secret whsec_… render.completed',
    'pictify-hooks sign --payload @body.json --timestamp 1700000000',
    'pictify-hooks sign --subscription wh_123 batch.completed --curl http://localhost:3000/hooks | sh',
    'pictify-hooks sign --subscription wh_123 --curl | sh',
    'pictify-hooks sign --json | jq -r .header',
  ],
  run: async (ctx, [event]: [string | undefined], options) =>
    (await import('./run.js')).run(ctx, { ...options, event: event === undefined ? undefined : parseEventName(event) }),
});
