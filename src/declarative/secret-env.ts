// `apply --secret-env <file>`: each new secret as PICTIFY_WEBHOOK_SECRET_<NAME>=… in the app's env file. Only those
// lines are replaced or appended; the rest of the file is kept byte for byte. It holds secrets: written 0600,
// replaced atomically.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { withEnvLine } from '../receiver/tunnel/env-file.js';
import { secretEnvName } from './names.js';

export async function writeSecretEnv(file: string, secrets: Readonly<Record<string, string>>): Promise<string[]> {
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  let content = current;
  const names: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    const variable = secretEnvName(name);
    content = withEnvLine(content, variable, secret);
    names.push(variable);
  }
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return names;
}
