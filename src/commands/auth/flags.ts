import { bool, type FlagValues } from '../../cli/spec.js';

export const statusFlags = {
  noVerify: bool('--no-verify', 'do not call the API'),
};
export type StatusOptions = FlagValues<typeof statusFlags>;
