// The config file: profiles with an API key, base url and the one-time secrets of their subscriptions.
// Backed by conf (atomic writes), always mode 0600, and never reset when it cannot be read.
import { chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, platform as osPlatform } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

export interface StoredSecret {
  secret: string;
  event?: string;
  targetUrl?: string;
  createdAt?: string;
  /** Set for a subscription `listen --subscribe` made for itself: deleted when that listen stops. */
  temporary?: TemporaryMark;
}

/** Who owns a temporary subscription, so a later listen or `cleanup` can tell a dead owner from a live one. */
export interface TemporaryMark {
  pid: number;
  hostname: string;
  /** When that listen started (ISO). */
  startedAt: string;
  publicUrl: string;
  tunnel?: { provider: string; pid: number };
}

export interface ProfileData {
  apiKey?: string;
  baseUrl?: string;
  maxRetryWait?: string;
  secrets?: Record<string, StoredSecret>;
}

interface FileShape {
  profiles?: Record<string, ProfileData>;
}

/** Keys `config get|set|unset` may touch, with what each holds. */
export const PROFILE_KEYS = {
  'api-key': 'apiKey',
  'base-url': 'baseUrl',
  'max-retry-wait': 'maxRetryWait',
} as const satisfies Record<string, keyof ProfileData>;
export type ProfileKey = keyof typeof PROFILE_KEYS;

interface ConfLike {
  path: string;
  store: Record<string, unknown>;
}

export class ConfigStore {
  readonly path: string;
  readonly #conf: ConfLike;

  constructor(conf: ConfLike) {
    this.#conf = conf;
    this.path = conf.path;
  }

  profileNames(): string[] {
    return Object.keys(this.#read().profiles ?? {});
  }

  profile(name: string): ProfileData {
    return structuredClone(this.#read().profiles?.[name] ?? {});
  }

  setValue(profile: string, key: ProfileKey, value: string): void {
    this.#update(profile, (p) => void (p[PROFILE_KEYS[key]] = value));
  }

  unsetValue(profile: string, key: ProfileKey): void {
    this.#update(profile, (p) => void delete p[PROFILE_KEYS[key]]);
  }

  secrets(profile: string): Record<string, StoredSecret> {
    return this.profile(profile).secrets ?? {};
  }

  secret(profile: string, uid: string): StoredSecret | undefined {
    return this.secrets(profile)[uid];
  }

  saveSecret(profile: string, uid: string, data: StoredSecret): void {
    this.#update(profile, (p) => void ((p.secrets ??= {})[uid] = data));
  }

  /** Returns whether a secret was there to remove. */
  removeSecret(profile: string, uid: string): boolean {
    let removed = false;
    this.#update(profile, (p) => {
      if (p.secrets && uid in p.secrets) {
        delete p.secrets[uid];
        removed = true;
      }
    });
    return removed;
  }

  #read(): FileShape {
    let data: unknown;
    try {
      data = this.#conf.store;
    } catch (error) {
      throw corrupted(this.path, error);
    }
    const problem = shapeProblem(data);
    if (problem) throw corrupted(this.path, new Error(problem));
    return data as FileShape;
  }

  #update(profile: string, change: (p: ProfileData) => void): void {
    const data = structuredClone(this.#read());
    const profiles = (data.profiles ??= {});
    const p = (profiles[profile] ??= {});
    change(p);
    try {
      this.#conf.store = data as Record<string, unknown>;
      // conf sets the mode only when it creates the file; a file made by someone else keeps its mode otherwise.
      chmodSync(this.path, 0o600);
    } catch (error) {
      throw new ConfigError(`could not write the config file ${this.path}: ${(error as Error).message}`, {
        path: this.path,
        cause: error,
        hint: 'check that the folder exists and is writable, or set PICTIFY_HOOKS_CONFIG_DIR',
      });
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where the file's content departs from the shape we write, or undefined. Checked on every read, so a hand edit
 * gone wrong is reported with its place instead of crashing a command or being overwritten. */
export function shapeProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'the top level is not an object';
  if (data.profiles === undefined) return undefined;
  if (!isObject(data.profiles)) return '"profiles" is not an object';
  for (const [name, profile] of Object.entries(data.profiles)) {
    if (!isObject(profile)) return `profile "${name}" is not an object`;
    for (const key of ['apiKey', 'baseUrl', 'maxRetryWait'] as const) {
      if (profile[key] !== undefined && typeof profile[key] !== 'string')
        return `profiles.${name}.${key} is not a string`;
    }
    if (profile.secrets === undefined) continue;
    if (!isObject(profile.secrets)) return `profiles.${name}.secrets is not an object`;
    for (const [uid, entry] of Object.entries(profile.secrets)) {
      if (!isObject(entry) || typeof entry.secret !== 'string')
        return `profiles.${name}.secrets.${uid} has no "secret" string`;
    }
  }
  return undefined;
}

function corrupted(path: string, cause?: unknown): ConfigError {
  const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  return new ConfigError(`the config file ${path} is not valid${detail}`, {
    path,
    cause,
    hint: `fix it by hand or move it aside (nothing was changed); \`pictify-hooks config path\` prints where it is`,
  });
}

/** Where the config file lives: PICTIFY_HOOKS_CONFIG_DIR, else the platform's config folder (as conf would pick). */
export function configDirFor(env: Record<string, string | undefined>, platform: string = osPlatform()): string {
  if (env.PICTIFY_HOOKS_CONFIG_DIR) return env.PICTIFY_HOOKS_CONFIG_DIR;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'pictify-hooks');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'pictify-hooks', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pictify-hooks');
}

export function configFilePath(dir: string): string {
  return join(dir, 'config.json');
}

export async function openConfig(options: { cwd: string }): Promise<ConfigStore> {
  // conf turns a file holding `null` or an array into {} and would write that back: check the raw JSON first.
  const raw = await readFile(configFilePath(options.cwd), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw corrupted(configFilePath(options.cwd), error);
  });
  if (raw !== undefined && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw corrupted(configFilePath(options.cwd), error);
    }
    const problem = shapeProblem(parsed);
    if (problem) throw corrupted(configFilePath(options.cwd), new Error(problem));
  }
  const { default: Conf } = await import('conf');
  let conf: ConfLike;
  try {
    conf = new Conf<Record<string, unknown>>({
      projectName: 'pictify-hooks',
      projectSuffix: '',
      cwd: options.cwd,
      configName: 'config',
      configFileMode: 0o600,
      // Never true: conf would silently wipe a user's secrets on a parse error.
      clearInvalidConfig: false,
      // uids and profile names may contain dots; we always read and write whole objects.
      accessPropertiesByDotNotation: false,
      watch: false,
    }) as unknown as ConfLike;
  } catch (error) {
    throw corrupted(configFilePath(options.cwd), error);
  }
  return new ConfigStore(conf);
}
