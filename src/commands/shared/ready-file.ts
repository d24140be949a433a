// --ready-file (listen, emulator, inspect): a file scripts can wait on, holding the url once the server is up.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { FailureError } from '../../cli/errors.js';
import { fileErrorText } from '../../output/file-error.js';

/** Written whole then renamed, so a script polling for the file never reads half a url. */
export async function writeReadyFile(file: string, url: string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${url}\n`);
    await rename(tmp, file);
  } catch (error) {
    throw new FailureError(`cannot write --ready-file ${file}: ${fileErrorText(error)}`);
  }
}

/** A ready file left behind would tell the next script a stopped server is up. */
export async function removeReadyFile(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => undefined);
}
