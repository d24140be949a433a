// Where the tools get webhook secrets: a secret the model passed, a subscription's stored one, or
// PICTIFY_WEBHOOK_SECRET. They are named by source in every answer (a uid, `PICTIFY_WEBHOOK_SECRET`), never shown.
import {
  ENV_SOURCE,
  flagSource,
  subscriptionSource,
  type SecretSource,
  type SourcedSecret,
} from '../signing/secret-source.js';
import type { McpHost } from './host.js';

export interface SigningSecret extends SourcedSecret {
  source: SecretSource;
  /** The subscription's stored target, when the secret is a subscription's. */
  targetUrl?: string;
  /** The model passed it: it knows it already, so sending it anywhere reveals nothing. */
  given: boolean;
}

export interface SecretChoice {
  secret?: string;
  subscription?: string;
}

/**
 * The profile's stored secrets of the current API (those recorded without one included), with uid and target url;
 * `allApis` adds other APIs' (redaction, diagnosis). An unreadable config is none.
 */
export async function storedSecrets(
  host: McpHost,
  { allApis = false } = {},
): Promise<Array<SourcedSecret & { targetUrl?: string }>> {
  const config = await host.config();
  const ofThisApi = (baseUrl: string | undefined) =>
    allApis || host.baseUrl === undefined || baseUrl === undefined || baseUrl === host.baseUrl;
  return Object.entries(config.secrets(host.profile))
    .filter(([, s]) => typeof s?.secret === 'string' && s.secret.length > 0 && ofThisApi(s.baseUrl))
    .map(([uid, s]) => ({ secret: s.secret, source: subscriptionSource(uid), targetUrl: s.targetUrl }));
}

/** The one secret to sign with: the given one, the subscription's, else the environment's. */
export async function signingSecret(host: McpHost, choice: SecretChoice): Promise<SigningSecret> {
  if (choice.secret !== undefined && choice.subscription !== undefined) {
    throw new Error('give either secret or subscription, not both');
  }
  if (choice.secret !== undefined) return { secret: choice.secret, source: flagSource(), given: true };
  if (choice.subscription !== undefined) {
    const uid = choice.subscription;
    const stored = (await host.config()).secret(host.profile, uid);
    if (!stored?.secret) {
      throw new Error(
        `no stored secret for subscription ${uid} (profile "${host.profile}"): create_subscription stores one`,
      );
    }
    return { secret: stored.secret, source: subscriptionSource(uid), targetUrl: stored.targetUrl, given: false };
  }
  if (host.envSecret) return { secret: host.envSecret, source: ENV_SOURCE, given: false };
  throw new Error('no webhook secret: pass subscription (a uid with a stored secret) or secret');
}

/** The secrets to verify with: the given one, the subscription's, else the environment's and every stored one. */
export async function verifyingSecrets(host: McpHost, choice: SecretChoice): Promise<SourcedSecret[]> {
  if (choice.secret !== undefined || choice.subscription !== undefined) return [await signingSecret(host, choice)];
  const fromEnv = host.envSecret ? [{ secret: host.envSecret, source: ENV_SOURCE }] : [];
  const all = [...(await storedSecrets(host)), ...fromEnv];
  if (all.length === 0) throw new Error('no webhook secret: pass subscription or secret, or create a subscription');
  return all;
}

/** Every secret value the server knows of (and the API key), for redaction. */
export async function knownSecretValues(host: McpHost): Promise<string[]> {
  const stored = await storedSecrets(host, { allApis: true }).catch(() => []);
  return [...stored.map((s) => s.secret), ...host.redact, ...(host.envSecret ? [host.envSecret] : [])];
}
