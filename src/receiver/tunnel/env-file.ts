// `--write-env .env.local`: puts PICTIFY_WEBHOOK_SECRET=<secret> in the app's env file for an app that verifies
// deliveries itself. Only that line is replaced (or appended); the rest of the file is kept byte for byte. The
// file holds a secret, so it is written 0600 and replaced atomically.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';

export const ENV_VAR = 'PICTIFY_WEBHOOK_SECRET';

export function withEnvLine(content: string, name: string, value: string): string {
  const line = `${name}=${value}`;
  const pattern = new RegExp(`^(?:export\\s+)?${name}\\s*=.*$`, 'm');
  if (pattern.test(content)) return content.replace(pattern, () => line);
  if (content === '') return `${line}\n`;
  return `${content}${content.endsWith('\n') ? '' : '\n'}${line}\n`;
}

/** Several secrets (one per subscription) are written comma-separated. */
export async function writeEnvSecret(file: string, secrets: readonly string[]): Promise<void> {
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, withEnvLine(current, ENV_VAR, secrets.join(',')), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
