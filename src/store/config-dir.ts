// Where the config file (and the event store) live. Its own module: every start-up resolves it (the Context's
// configDir), and the config store itself (config.ts, with fs/promises and the lock) is loaded only to be opened.
import { homedir, platform as osPlatform } from 'node:os';
import { join } from 'node:path';

/** Where the config file lives: PICTIFY_HOOKS_CONFIG_DIR, else the platform's config folder (as conf would pick). */
export function configDirFor(env: Record<string, string | undefined>, platform: string = osPlatform()): string {
  if (env.PICTIFY_HOOKS_CONFIG_DIR) return env.PICTIFY_HOOKS_CONFIG_DIR;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'pictify-hooks');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'pictify-hooks', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pictify-hooks');
}

/** The config file in `dir` (configDirFor's). */
export function configFilePath(dir: string): string {
  return join(dir, 'config.json');
}
