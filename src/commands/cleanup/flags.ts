import { bool, type FlagValues } from '../../cli/spec.js';

export const flags = {
  dryRun: bool('--dry-run', 'only say what would be deleted'),
};
export type CleanupFlags = FlagValues<typeof flags>;
