import { parseDuration, parseEventName } from '../../cli/flags.js';
import { text, value, type FlagValues } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';

const MAX_CHECK_TIMEOUT_MS = 600_000;

export const flags = {
  secret: text('--secret <secret>', 'the signing secret the receiver expects (else PICTIFY_WEBHOOK_SECRET)'),
  subscription: text(
    '--subscription <uid>',
    'use the stored secret of this subscription, and its url when <url> is not given',
  ),
  event: value(
    '--event <event>',
    `only this event for the valid cases and as the sample of the others (${EVENT_NAMES.join(', ')})`,
    parseEventName,
    { complete: 'events' },
  ),
  timeoutMs: value(
    '--timeout <duration>',
    'per-request timeout, e.g. 10s or 500ms; a bare number is seconds (it was ms before) (default 30s)',
    (v, f) => parseDuration(v, f, { max: MAX_CHECK_TIMEOUT_MS }),
  ),
  junit: text('--junit <file>', 'also write a JUnit XML report to <file> for CI'),
  /** Pause between requests; hidden so tests stay fast. */
  gapMs: value(
    '--request-gap <duration>',
    'pause between requests',
    (v, f) => parseDuration(v, f, { min: 0, max: 5000 }),
    {
      hidden: true,
    },
  ),
};
export type CheckFlags = FlagValues<typeof flags>;
