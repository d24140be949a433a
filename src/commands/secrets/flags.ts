import { bool, text, type FlagValues } from '../../cli/spec.js';

export const showFlags = {
  reveal: bool('--reveal', 'print the secret itself'),
};
export type ShowOptions = FlagValues<typeof showFlags>;

export const setFlags = {
  event: text('--event <event>', "the subscription's event, for display"),
  url: text('--url <url>', "the subscription's target url, used by `send --subscription`"),
};
export type SetOptions = FlagValues<typeof setFlags>;

export const pruneFlags = {
  dryRun: bool('--dry-run', 'list what would be removed, remove nothing'),
  otherApis: bool(
    '--other-apis',
    'also remove secrets kept for another API (an emulator since restarted, or the real API): they cannot be checked from here',
  ),
};
export type PruneOptions = FlagValues<typeof pruneFlags>;
