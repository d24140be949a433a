// `login`: stores an API key in the profile. The key never has to appear in shell history: it is typed at a
// hidden prompt on a TTY, or piped in with --api-key-stdin in CI. --api-key works too, if the user chooses it.

import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { maskKey } from '../output/mask.js';
import { printJson } from '../output/json.js';
import { profileName } from './kit.js';

export interface LoginOptions {
  apiKeyStdin?: boolean;
}

async function readKey(ctx: Context, options: LoginOptions): Promise<string> {
  if (options.apiKeyStdin) return (await ctx.readStdin()).toString('utf8').trim();
  if (ctx.globals.apiKey) return ctx.globals.apiKey.trim();
  if (!ctx.io.stdinIsTTY) {
    throw new UsageError('no terminal to ask for the API key on', {
      hint: 'pipe it in: `echo "$KEY" | pictify-hooks login --api-key-stdin`',
    });
  }
  return (await ctx.promptHidden('Pictify API key: ')).trim();
}

export async function run(ctx: Context, options: LoginOptions): Promise<void> {
  const key = await readKey(ctx, options);
  if (!key) throw new UsageError('empty API key', { hint: 'copy the key from the Pictify dashboard and try again' });
  if (/\s/.test(key)) throw new UsageError('the API key contains whitespace', { hint: 'paste just the key' });
  const config = await ctx.config();
  const profile = profileName(ctx);
  config.setValue(profile, 'api-key', key);
  if (ctx.globals.json) return printJson(ctx, { profile, apiKey: maskKey(key), path: config.path });
  ctx.err(`Saved API key ${maskKey(key)} to profile "${profile}" (${config.path}).`);
}
