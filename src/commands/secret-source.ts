// Where sign/send/verify/check/replay get webhook secrets from: flag, else PICTIFY_WEBHOOK_SECRET, else the
// profile's stored secrets. The config is opened only when it is actually consulted, so `send --secret x`
// works on a machine that has never had a config file.
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { existingProfile } from '../cli/profiles.js';

export const WEBHOOK_SECRET_ENV = 'PICTIFY_WEBHOOK_SECRET';

export interface LabelledSecret {
  secret: string;
  /** How messages name it (a subscription uid, 'flag', the env var); the secret itself is never printed. */
  label?: string;
}

/**
 * Every secret a received delivery may have been signed with. Secrets are kept verbatim: `diagnose` explains stray
 * whitespace.
 */
export async function resolveVerifyingSecrets(
  ctx: Context,
  flagSecrets: string[] | undefined,
): Promise<LabelledSecret[]> {
  // `--secret "$SECRET"` with SECRET unset must not quietly fall back to other secrets.
  if (flagSecrets?.some((s) => s.length === 0)) {
    throw new UsageError('--secret must not be empty', { hint: 'is the variable you passed to --secret set?' });
  }
  const given = flagSecrets ?? [];
  if (given.length === 1) return [{ secret: given[0], label: 'flag' }];
  if (given.length > 1) return given.map((secret, i) => ({ secret, label: `--secret #${i + 1}` }));

  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  if (fromEnv) return [{ secret: fromEnv, label: WEBHOOK_SECRET_ENV }];

  const stored = await storedSecrets(ctx);
  if (stored.length > 0) return stored;

  throw new UsageError('no webhook secret', {
    hint: `pass --secret, set ${WEBHOOK_SECRET_ENV}, or create a subscription / \`pictify-hooks secrets set <uid> <secret>\``,
  });
}

/** Every stored secret of the profile, labelled with its subscription uid. Read fresh on each call. */
export async function storedSecrets(ctx: Context): Promise<LabelledSecret[]> {
  const config = await ctx.config();
  return Object.entries(config.secrets(await existingProfile(ctx)))
    .filter(([, s]) => typeof s?.secret === 'string' && s.secret.length > 0)
    .map(([uid, s]) => ({ secret: s.secret, label: uid }));
}

export interface SigningSecret {
  secret: string;
  label: string;
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
    return { secret: options.secret, label: 'flag' };
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
    return { secret: stored.secret, label: uid, targetUrl: stored.targetUrl };
  }
  const fromEnv = ctx.env[WEBHOOK_SECRET_ENV];
  if (fromEnv) return { secret: fromEnv, label: WEBHOOK_SECRET_ENV };
  throw new UsageError('no webhook secret', {
    hint: `pass --secret, set ${WEBHOOK_SECRET_ENV}, or use --subscription <uid> with a stored secret (\`pictify-hooks secrets set <uid> <secret>\`)`,
  });
}

/** How a secret's origin reads in messages: "--secret", "PICTIFY_WEBHOOK_SECRET", "the secret of wh_1". */
function originOf(label: string | undefined): string {
  if (label === undefined || label === 'flag' || label.startsWith('--secret'))
    return label?.startsWith('--secret #') ? label : '--secret';
  if (label === WEBHOOK_SECRET_ENV) return label;
  return `the stored secret of ${label}`;
}

/**
 * Warnings for secrets that will most likely never match: surrounding whitespace (a pasted newline) or no
 * `whsec_` prefix (Pictify signs with the whole secret, prefix included). They are used as given all the same.
 */
export function secretWarnings(secrets: readonly LabelledSecret[]): string[] {
  const warnings: string[] = [];
  for (const { secret, label } of secrets) {
    const origin = originOf(label);
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

/**
 * The Ready line's account of the secrets in use, never the secrets themselves: a few are named
 * ("secrets: 2 (wh_a, flag)"), many are counted by origin ("secrets: 27 (26 from the profile, 1 flag)").
 */
export function summariseSecrets(secrets: readonly LabelledSecret[]): string {
  const n = secrets.length;
  if (n === 0) return 'secrets: 0';
  const originOfLabel = (label: string | undefined) =>
    label === undefined || label === 'flag' || label.startsWith('--secret')
      ? 'flag'
      : label === WEBHOOK_SECRET_ENV
        ? WEBHOOK_SECRET_ENV
        : label === 'self-test'
          ? 'self-test'
          : 'from the profile';
  if (n <= 3) return `secrets: ${n} (${secrets.map((s) => s.label ?? 'flag').join(', ')})`;
  const counts = new Map<string, number>();
  for (const { label } of secrets) counts.set(originOfLabel(label), (counts.get(originOfLabel(label)) ?? 0) + 1);
  const parts = [...counts].map(([origin, count]) => `${count} ${origin === 'flag' && count > 1 ? 'flags' : origin}`);
  return `secrets: ${n} (${parts.join(', ')})`;
}
