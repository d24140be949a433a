// `listen`: the engine (src/receiver/session/listen.ts) run with what it needs of this Context, and how it ended
// turned into an exit code and a hint (errors.ts).
import type { Context } from '../../cli/context.js';
import type { ListenHost } from '../../receiver/session/host.js';
import { runListen } from '../../receiver/session/listen.js';
import type { ListenOptions } from '../../receiver/session/options.js';
import { sweepBeforeListen } from '../cleanup/run.js';
import { openInBrowser } from '../shared/open-browser.js';
import { warnIfPlainHttp } from '../shared/plain-http.js';
import { profileName } from '../shared/profile-name.js';
import { removeReadyFile, writeReadyFile } from '../shared/ready-file.js';
import {
  knownSecrets,
  resolveVerifyingSecrets,
  secretWarnings,
  currentApi,
  storedSecrets,
  storedSecretsByApi,
  summariseSecrets,
  untriedStoredSecrets,
} from '../shared/resolve-secrets.js';
import { errStyle, style } from '../shared/styles.js';
import { cliError } from './errors.js';

export { toOptions } from './options.js';

export async function run(ctx: Context, options: ListenOptions): Promise<void> {
  try {
    await runListen(listenHost(ctx), options);
  } catch (error) {
    throw cliError(error, options);
  }
}

/** The engine's view of the Context. */
function listenHost(ctx: Context): ListenHost {
  return {
    stdout: ctx.io.stdout,
    json: Boolean(ctx.globals.json),
    style: style(ctx),
    errStyle: errStyle(ctx),
    err: (line) => ctx.err(line),
    onSignal: (signal, handler) => ctx.onSignal(signal, handler),
    now: () => ctx.now(),
    env: ctx.env,
    proc: ctx.proc,
    configDir: () => ctx.configDir(),
    profile: () => profileName(ctx),
    api: () => ctx.api(),
    config: () => ctx.config(),
    currentApi: () => currentApi(ctx),
    secrets: {
      verifying: (flagSecrets) => resolveVerifyingSecrets(ctx, flagSecrets),
      stored: () => storedSecrets(ctx),
      byApi: () => storedSecretsByApi(ctx),
      untried: (tried) => untriedStoredSecrets(ctx, tried),
      known: () => knownSecrets(ctx),
      warnings: secretWarnings,
      summary: summariseSecrets,
    },
    sweepLeftovers: () => sweepBeforeListen(ctx),
    readyFile: { write: writeReadyFile, remove: removeReadyFile },
    openInBrowser: (url) => openInBrowser(ctx, url),
    warnIfPlainHttp: (url) => warnIfPlainHttp(ctx, url),
  };
}
