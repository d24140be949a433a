// The emulator's state on disk: one JSON file, replaced atomically (write a temp file, then rename) so a crash
// or a kill mid-write leaves the previous state, never half of one.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, type EmulatorState } from './types.js';

export const STATE_FILE = 'emulator-state.json';

export class StateFileError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export async function loadState(dataDir: string): Promise<EmulatorState> {
  const path = join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new StateFileError(`cannot read ${path}: ${(error as Error).message}`, path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`${path} is not valid JSON: ${(error as Error).message}`, path);
  }
  const state = parsed as Partial<EmulatorState> | null;
  if (!state || typeof state !== 'object' || state.version !== 1 || !Array.isArray(state.subscriptions)) {
    throw new StateFileError(`${path} is not an emulator state file (version 1)`, path);
  }
  return {
    version: 1,
    subscriptions: state.subscriptions,
    deliveries: Array.isArray(state.deliveries) ? state.deliveries : [],
    attempts: Array.isArray(state.attempts) ? state.attempts : [],
    idempotency: Array.isArray(state.idempotency) ? state.idempotency : [],
  };
}

/** Writes are serialised by the caller (EmulatorStore); the temp name is unique anyway. */
export async function saveState(dataDir: string, state: EmulatorState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, STATE_FILE);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // 0600: the file holds every subscription's signing secret.
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
