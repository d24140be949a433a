// The config writes of temporary subscriptions happen in several processes at once (two listens, a cleanup).
// ConfigStore takes the inter-process lock on the config file for every write and re-reads inside it, so this book
// only delegates: a second lock here would wait on the first one held by the same write.
import type { ConfigStore } from '../../store/config.js';
import type { SecretBook } from './temporary.js';

/** The config's secrets; every change is made by ConfigStore under its lock. */
export function lockedSecretBook(config: ConfigStore): SecretBook {
  return {
    secrets: (profile) => config.secrets(profile),
    saveSecret: async (profile, uid, data) => config.saveSecret(profile, uid, data),
    removeSecret: async (profile, uid) => config.removeSecret(profile, uid),
  };
}
