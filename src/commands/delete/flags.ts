import { bool, type FlagValues } from '../../cli/spec.js';

export const flags = {
  yes: bool('-y, --yes', 'do not ask for confirmation'),
};
export type DeleteOptions = FlagValues<typeof flags>;
