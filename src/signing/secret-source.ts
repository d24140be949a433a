// Where a webhook secret came from. Messages, the Ready line and the event store name a secret by its source,
// never by the secret itself. Imports nothing: the receiver, the inspector, the store and the commands all use it.

export const WEBHOOK_SECRET_ENV = 'PICTIFY_WEBHOOK_SECRET';

export type SecretSource =
  /** The `index`-th (0-based) of `of` `--secret` flags. */
  | { kind: 'flag'; index: number; of: number }
  | { kind: 'env' }
  /** A subscription's stored (or listen --subscribe's temporary) secret. */
  | { kind: 'subscription'; uid: string }
  /** listen --subscribe's own delivery through the tunnel. */
  | { kind: 'self-test' };

/** A secret and where it came from; `source` is absent only for secrets handed in by library-style callers. */
export interface SourcedSecret {
  secret: string;
  source?: SecretSource;
}

export const flagSource = (index = 0, of = 1): SecretSource => ({ kind: 'flag', index, of });
export const ENV_SOURCE: SecretSource = { kind: 'env' };
export const SELF_TEST_SOURCE: SecretSource = { kind: 'self-test' };
export const subscriptionSource = (uid: string): SecretSource => ({ kind: 'subscription', uid });

const SELF_TEST_LABEL = 'self-test';

/**
 * The compact string form: what the store keeps (`verdict.matchedLabel`), `--json` prints and the inspector
 * keys its secrets by. `flag` for a lone --secret, `--secret #2` among several, the env var's name, the uid.
 */
export function secretLabel(source: SecretSource): string {
  switch (source.kind) {
    case 'flag':
      return source.of > 1 ? `--secret #${source.index + 1}` : 'flag';
    case 'env':
      return WEBHOOK_SECRET_ENV;
    case 'subscription':
      return source.uid;
    case 'self-test':
      return SELF_TEST_LABEL;
  }
}

/** The inverse of secretLabel, for labels read back from a store file. */
export function sourceFromLabel(label: string): SecretSource {
  if (label === 'flag') return flagSource();
  const numbered = /^--secret #([1-9]\d*)$/.exec(label);
  if (numbered) {
    const n = Number(numbered[1]);
    // How many flags there were is not stored; at least n, and more than one (else the label would be `flag`).
    return flagSource(n - 1, Math.max(n, 2));
  }
  if (label === WEBHOOK_SECRET_ENV) return ENV_SOURCE;
  if (label === SELF_TEST_LABEL) return SELF_TEST_SOURCE;
  return subscriptionSource(label);
}

/** How messages name a secret: "--secret", "--secret #2", "PICTIFY_WEBHOOK_SECRET", "the secret of wh_1". */
export function describeSource(source: SecretSource | undefined): string {
  if (source === undefined) return 'the secret';
  switch (source.kind) {
    case 'flag':
      return source.of > 1 ? `--secret #${source.index + 1}` : '--secret';
    case 'env':
      return WEBHOOK_SECRET_ENV;
    case 'subscription':
      return `the secret of ${source.uid}`;
    case 'self-test':
      return 'the self-test secret';
  }
}

/** The secrets as diagnose's candidates: named for its sentences ("the secret of wh_1 has whitespace…"). */
export function namedForMessages(secrets: readonly SourcedSecret[]): { secret: string; label?: string }[] {
  return secrets.map(({ secret, source }) => (source ? { secret, label: describeSource(source) } : { secret }));
}
