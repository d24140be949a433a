import { parseTolerance, parseUnixSeconds } from '../../cli/flags.js';
import { list, text, value, type FlagValues } from '../../cli/spec.js';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER } from '../../signing/constants.js';

export const flags = {
  header: text('--header <value>', `the ${SIGNATURE_HEADER} value (the "${SIGNATURE_HEADER}:" name may be included)`, {
    required: true,
  }),
  payload: text('--payload <@file|->', 'the raw body: @file, - for stdin, or literal text (default: stdin when piped)'),
  secrets: list('--secret <secret>', 'secret to verify with; repeat for rotation'),
  toleranceSeconds: value(
    '--tolerance <seconds>',
    `replay window (default ${DEFAULT_TOLERANCE_SECONDS}; 10m, 1h also work)`,
    parseTolerance,
  ),
  now: value('--now <unix-seconds>', 'verify as if it were this time (default now)', parseUnixSeconds),
};
export type VerifyCommandOptions = FlagValues<typeof flags>;
