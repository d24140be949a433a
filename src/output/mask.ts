// Secrets and keys are shown masked unless the user asked for them: enough to tell two apart, never enough to use.

/** `whsec_abcdef…wxyz` → `whsec_…wxyz` */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith('whsec_') ? 'whsec_' : '';
  const rest = secret.slice(prefix.length);
  if (rest.length <= 8) return `${prefix}…`;
  return `${prefix}…${rest.slice(-4)}`;
}

/** `pk_live_0123456789abcd` → `pk_live_…abcd` */
export function maskKey(key: string): string {
  const match = /^([a-z]+_(?:live_|test_)?)/i.exec(key);
  const prefix = match && match[1].length < key.length - 8 ? match[1] : '';
  const rest = key.slice(prefix.length);
  if (rest.length <= 8) return `${prefix}…`;
  return `${prefix}…${rest.slice(-4)}`;
}
