// Where sign/send/verify/check/replay get webhook secrets from: flag, else PICTIFY_WEBHOOK_SECRET, else the
// profile's stored secrets. The config is opened only when it is actually consulted, so `send --secret x`
// works on a machine that has never had a config file.
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../cli/errors.js';
import { parseHttpUrl } from '../../cli/flags.js';
import { existingProfile } from '../../cli/profiles.js';
import { settingsOf } from '../../cli/settings.js';
import { configFilePath } from '../../store/config-dir.js';
import {
  describeSource,
  ENV_SOURCE,
  flagSource,
  secretLabel,
  subscriptionSource,
  WEBHOOK_SECRET_ENV,
  type SecretSource,
  type SourcedSecret,
} from '../../signing/secret-source.js';

/**
 * Every secret a received delivery may have been signed with. Secrets are kept verbatim: `diagnose` explains stray
 * whitespace.
 */
export async function resolveVerifyingSecrets(
  ctx: Context,
  flagSecrets: string[] | undefined,
): Promise<SourcedSecret[]> {
  // `--secret "$SECRET"` with SECRET unset must not quietly fall back to other secrets.
  if (flagSecrets?.some((s) => s.length === 0)) {
    throw new UsageError('--secret must not be empty', { hint: 'is the variable you passed to --secret set?' });
  }
  const given = flagSecrets ?? [];
  if (given.length > 0) return given.map((secret, i) => ({ secret, source: flagSource(i, given.length) }));

  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  if (fromEnv) return [{ secret: fromEnv, source: ENV_SOURCE }];

  const stored = await storedSecrets(ctx);
  if (stored.length > 0) return stored;

  throw new UsageError('no webhook secret', {
    hint: `pass --secret, set ${WEBHOOK_SECRET_ENV}, or create a subscription / \`pictify-hooks secrets set <uid> <secret>\``,
  });
}

/** Every stored secret of the profile for the current API, sourced by its subscription uid. Read fresh each call. */
export async function storedSecrets(ctx: Context): Promise<SourcedSecret[]> {
  return (await storedSecretsByApi(ctx)).current;
}

/**
 * The profile's stored secrets, split by the API they came from: the current API's (and old records that do not
 * say, which keep working), and a count of other APIs' — an emulator since restarted on another port, or the real
 * API while the emulator is in use. Only the current API's verify and sign by default.
 */
export async function storedSecretsByApi(
  ctx: Context,
): Promise<{ api: string; current: SourcedSecret[]; otherApis: SourcedSecret[] }> {
  const config = await ctx.config();
  const api = await currentApi(ctx);
  const current: SourcedSecret[] = [];
  const otherApis: SourcedSecret[] = [];
  for (const [uid, s] of Object.entries(config.secrets(await existingProfile(ctx)))) {
    if (typeof s?.secret !== 'string' || s.secret.length === 0) continue;
    const sourced = { secret: s.secret, source: subscriptionSource(uid) };
    if (s.baseUrl !== undefined && s.baseUrl !== api) otherApis.push(sourced);
    else current.push(sourced);
  }
  return { api, current, otherApis };
}

/** The API a secret saved now belongs to (StoredSecret.baseUrl): the base url this command talks to. */
export async function currentApi(ctx: Context): Promise<string> {
  return (await settingsOf(ctx)).baseUrl;
}

/**
 * Stored secrets not among those tried (verify, listen with PICTIFY_WEBHOOK_SECRET or --secret), so a mismatch can
 * say "this was signed with wh_other's secret".
 */
export async function untriedStoredSecrets(ctx: Context, tried: SourcedSecret[]): Promise<SourcedSecret[]> {
  try {
    // Without a config file there is nothing to compare with, and opening one would create its folder.
    const { existsSync } = await import('node:fs');
    if (!existsSync(configFilePath(ctx.configDir()))) return [];
    const triedSecrets = new Set(tried.map((t) => t.secret));
    return (await storedSecrets(ctx)).filter((s) => !triedSecrets.has(s.secret));
  } catch {
    // An unreadable config must not stop a verification that was given its secret explicitly.
    return [];
  }
}

export interface SigningSecret extends SourcedSecret {
  source: SecretSource;
  /** The subscription's stored target, when the secret came from --subscription. */
  targetUrl?: string;
}

/** The one secret to sign outgoing deliveries with. */
export async function resolveSigningSecret(
  ctx: Context,
  options: { secret?: string; subscription?: string },
): Promise<SigningSecret> {
  if (options.secret !== undefined && options.subscription !== undefined) {
    throw new UsageError('--secret and --subscription cannot be used together', {
      hint: '--subscription already picks the stored secret of that subscription',
    });
  }
  if (options.secret !== undefined) {
    if (options.secret.length === 0) throw new UsageError('--secret must not be empty');
    return { secret: options.secret, source: flagSource() };
  }
  if (options.subscription !== undefined) {
    const uid = options.subscription;
    const config = await ctx.config();
    const profile = await existingProfile(ctx);
    const stored = config.secret(profile, uid);
    if (!stored?.secret) {
      throw new UsageError(`no stored secret for subscription ${uid} (profile "${profile}")`, {
        hint: `pictify-hooks secrets set ${uid} <secret>`,
      });
    }
    return { secret: stored.secret, source: subscriptionSource(uid), targetUrl: stored.targetUrl };
  }
  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  if (fromEnv) return { secret: fromEnv, source: ENV_SOURCE };
  throw new UsageError('no webhook secret', {
    hint: `pass --secret, set ${WEBHOOK_SECRET_ENV}, or use --subscription <uid> with a stored secret (\`pictify-hooks secrets set <uid> <secret>\`)`,
  });
}

/**
 * The secret and where the delivery goes: the url given, else the stored target of `--subscription` (send --url,
 * sign --curl, check <url>). One lookup, so the three commands agree on what --subscription supplies.
 */
export async function resolveDelivery(
  ctx: Context,
  options: { secret?: string; subscription?: string; url?: URL; urlFlag: string },
): Promise<{ signing: SigningSecret; url: URL }> {
  const { url, urlFlag, subscription } = options;
  if (url === undefined && subscription === undefined) {
    throw new UsageError('no receiver url', {
      hint: `pass ${urlFlag}, or --subscription <uid> to use its stored target url`,
    });
  }
  const signing = await resolveSigningSecret(ctx, options);
  if (url) return { signing, url };
  if (signing.targetUrl === undefined) {
    throw new UsageError(`no target url stored for ${subscription}`, { hint: `pass ${urlFlag}` });
  }
  return { signing, url: parseHttpUrl(signing.targetUrl, '--subscription target url') };
}

/**
 * Warnings for secrets that will most likely never match: surrounding whitespace (a pasted newline) or no
 * `whsec_` prefix (Pictify signs with the whole secret, prefix included). They are used as given all the same.
 */
export function secretWarnings(secrets: readonly SourcedSecret[]): string[] {
  const warnings: string[] = [];
  for (const { secret, source } of secrets) {
    const origin = describeSource(source);
    if (secret !== secret.trim()) {
      warnings.push(`warning: ${origin} has whitespace around it (a pasted newline?); it is used exactly as given`);
    }
    if (!secret.trim().startsWith('whsec_')) {
      warnings.push(
        `warning: ${origin} does not start with whsec_; Pictify secrets do, and the prefix is part of the key`,
      );
    }
  }
  return warnings;
}

/** What the Ready line counts a secret as, when there are too many to name. */
function originOf(source: SecretSource | undefined): string {
  switch (source?.kind) {
    case undefined:
    case 'flag':
      return 'flag';
    case 'env':
      return WEBHOOK_SECRET_ENV;
    case 'self-test':
      return 'self-test';
    case 'subscription':
      return 'from the profile';
  }
}

/**
 * The Ready line's account of the secrets in use, never the secrets themselves: a few are named
 * ("secrets: 2 (wh_a, flag)"), many are counted by origin ("secrets: 27 (26 from the profile, 1 flag)").
 */
export function summariseSecrets(secrets: readonly SourcedSecret[]): string {
  const n = secrets.length;
  if (n === 0) return 'secrets: 0';
  if (n <= 3) return `secrets: ${n} (${secrets.map((s) => (s.source ? secretLabel(s.source) : 'flag')).join(', ')})`;
  const counts = new Map<string, number>();
  for (const { source } of secrets) counts.set(originOf(source), (counts.get(originOf(source)) ?? 0) + 1);
  const parts = [...counts].map(([origin, count]) => `${count} ${origin === 'flag' && count > 1 ? 'flags' : origin}`);
  return `secrets: ${n} (${parts.join(', ')})`;
}

/** Every secret on file for the profile, plus the env var's: diagnose names the one a signature belongs to. */
export async function knownSecrets(ctx: Context): Promise<SourcedSecret[]> {
  const stored = await storedSecrets(ctx).catch(() => []);
  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  return fromEnv ? [...stored, { secret: fromEnv, source: ENV_SOURCE }] : stored;
}
