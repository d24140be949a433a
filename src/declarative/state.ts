// The profile's record of a subscriptions file's names, in the config store (mode 0600, every change a
// read-modify-write under its lock). A new secret and the name that owns it land in one write, before apply
// makes its next API call, so no crash can keep one without the other.
import type { Subscription } from '../api/index.js';
import type { ConfigStore, ProfileData } from '../store/config.js';
import type { Adoption } from './plan.js';
import type { AppliedState, ManagedName } from './types.js';

export interface ProfileView {
  managed: Record<string, ManagedName>;
  secretsHeld: Set<string>;
  temporary: Set<string>;
}

export class ManagedState {
  constructor(
    private readonly config: ConfigStore,
    readonly profile: string,
    /** The API the subscriptions live at, kept with each new secret (StoredSecret.baseUrl). */
    private readonly baseUrl?: string,
  ) {}

  get configPath(): string {
    return this.config.path;
  }

  view(): ProfileView {
    const p = this.config.profile(this.profile);
    const secrets = p.secrets ?? {};
    return {
      managed: p.managed ?? {},
      secretsHeld: new Set(Object.keys(secrets)),
      temporary: new Set(
        Object.entries(secrets)
          .filter(([, s]) => s.temporary)
          .map(([uid]) => uid),
      ),
    };
  }

  #change(change: (p: ProfileData, managed: Record<string, ManagedName>) => void): void {
    this.config.updateSync((data) => {
      const p = ((data.profiles ??= {})[this.profile] ??= {});
      change(p, (p.managed ??= {}));
      if (Object.keys(p.managed).length === 0) delete p.managed;
    });
  }

  /** Records adopted names (their live state as applied) and drops records of names that left for good. */
  settle(adoptions: readonly Adoption[], forget: readonly string[]): void {
    if (adoptions.length === 0 && forget.length === 0) return;
    this.#change((_p, managed) => {
      for (const a of adoptions) managed[a.name] = { ...managed[a.name], uid: a.uid, applied: a.live };
      for (const name of forget) delete managed[name];
    });
  }

  /** Before a create is sent: the key it goes with, so a lost answer can be asked for again. */
  beginCreate(name: string, pending: NonNullable<ManagedName['pending']>): void {
    this.#change((_p, managed) => void (managed[name] = { ...managed[name], pending }));
  }

  /**
   * The create's answer: its secret and the name's new uid, in one write. A replaced uid stays listed under
   * `retiring` until it is deleted; a uid deleted elsewhere takes its stored secret with it.
   */
  created(name: string, sub: Subscription, desired: AppliedState, at: string, replaced?: string, gone?: string): void {
    this.#change((p, managed) => {
      if (sub.secret) {
        (p.secrets ??= {})[sub.uid] = {
          secret: sub.secret,
          event: sub.event,
          targetUrl: sub.targetUrl,
          ...(this.baseUrl ? { baseUrl: this.baseUrl } : {}),
          createdAt: sub.createdAt ?? at,
        };
      }
      if (gone && p.secrets) delete p.secrets[gone];
      const retiring = [...(managed[name]?.retiring ?? []), ...(replaced ? [replaced] : [])];
      managed[name] = { uid: sub.uid, applied: pick(desired), ...(retiring.length > 0 && { retiring }) };
    });
  }

  updated(name: string, uid: string, desired: AppliedState): void {
    this.#change((_p, managed) => void (managed[name] = { ...managed[name], uid, applied: pick(desired) }));
  }

  /** A deleted subscription: its secret goes, and so does every record that pointed at it. */
  deleted(uid: string): void {
    this.#change((p, managed) => {
      if (p.secrets) delete p.secrets[uid];
      for (const [name, record] of Object.entries(managed)) {
        if (record.retiring?.includes(uid)) {
          record.retiring = record.retiring.filter((r) => r !== uid);
          if (record.retiring.length === 0) delete record.retiring;
        }
        if (record.uid === uid) delete managed[name];
      }
    });
  }
}

function pick(state: AppliedState): AppliedState {
  return { event: state.event, url: state.url, platform: state.platform, status: state.status, filters: state.filters };
}
