// A subscriptions file (`pictify-hooks.yaml`) once loaded: the subscriptions one profile should have, by name.
import type { AppliedState } from '../store/config.js';

export type { AppliedState, ManagedName } from '../store/config.js';

/** One subscription as the file wants it, for the active profile (its override merged, `${env:…}` substituted). */
export interface DesiredSubscription extends AppliedState {
  /** The identity across runs. */
  name: string;
  status: 'active' | 'paused';
  /** An adoption hint: the live subscription this name is, for a profile that has no record of it yet. */
  uid?: string;
  /** Where the entry starts in the file (1-based). */
  line: number;
}

export interface SubscriptionsFile {
  path: string;
  profile: string;
  subscriptions: DesiredSubscription[];
}

/** The filter keys Pictify knows, in the order files and plans show them. */
export const FILTER_KEYS = ['templateId', 'bindingId', 'type'] as const;
export const DESIRED_STATUSES = ['active', 'paused'] as const;
export const DEFAULT_FILE = 'pictify-hooks.yaml';
