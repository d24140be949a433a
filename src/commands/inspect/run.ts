// `inspect`: the inspector page over a stored event store, without receiving. Read-only (replay needs a running
// `listen --ui`), and live all the same: a listen writing the same store in another shell shows up as it arrives.
import type { Context } from '../../cli/context.js';
import { FailureError, InterruptedError } from '../../cli/errors.js';
import { errStyle } from '../shared/styles.js';
import { DEFAULT_UI_PORT } from '../shared/ui-flags.js';
import type { InspectOptions } from './flags.js';
import { openInBrowser } from '../shared/open-browser.js';
import { knownSecrets } from '../shared/resolve-secrets.js';
import { uiBindFailure } from '../shared/bind-failure.js';
import { removeReadyFile, writeReadyFile } from '../shared/ready-file.js';
import { printable } from '../../text/printable.js';

export async function run(ctx: Context, options: InspectOptions): Promise<void> {
  const [{ openInspector }, { defaultStorePath, openFailure }, { existsSync }, { openStoreFiles }] = await Promise.all([
    import('../../inspector/index.js'),
    import('../../store/event-store.js'),
    import('node:fs'),
    import('../../store/line-chunks.js'),
  ]);
  const storePath = options.store ?? defaultStorePath(ctx.configDir());
  if (!existsSync(storePath) && !existsSync(`${storePath}.1`)) {
    throw new FailureError(`no event store at ${storePath}`, {
      hint: 'run `pictify-hooks listen` to receive deliveries, or pass --store <file>',
    });
  }
  // Its files are regular ones we may read (a FIFO would block the page's loading forever), said before any port.
  try {
    for (const { handle } of await openStoreFiles(storePath)) await handle.close();
  } catch (error) {
    throw new FailureError(`cannot read the event store ${storePath}: ${openFailure(error, storePath)}`);
  }
  const uiPort = options.uiPort ?? DEFAULT_UI_PORT;
  let inspector: Awaited<ReturnType<typeof openInspector>>;
  try {
    inspector = await openInspector({
      port: uiPort,
      mode: 'inspect',
      storePath,
      append: null,
      secrets: () => knownSecrets(ctx),
      knownSecrets: () => knownSecrets(ctx),
      follow: true,
    });
  } catch (error) {
    throw uiBindFailure(error, uiPort);
  }
  const e = errStyle(ctx);
  ctx.err(`${e.green('Ready:')} inspector on ${inspector.url} — ${printable(storePath)} (read-only)`);
  ctx.err('  the link carries this run’s token; stop with Ctrl-C');
  if (options.readyFile) await writeReadyFile(options.readyFile, inspector.url);
  // Said once the store is indexed, which on a large store finishes a moment after Ready.
  void inspector.indexed.then((warning) => warning && ctx.err(printable(warning)));
  if (options.open) await openInBrowser(ctx, inspector.url);

  const signal = await new Promise<'SIGINT' | 'SIGTERM'>((resolve) => {
    const offs = [ctx.onSignal('SIGINT', () => done('SIGINT')), ctx.onSignal('SIGTERM', () => done('SIGTERM'))];
    function done(s: 'SIGINT' | 'SIGTERM') {
      for (const off of offs) off();
      resolve(s);
    }
  });
  await inspector.close();
  if (options.readyFile) await removeReadyFile(options.readyFile);
  if (signal === 'SIGINT') throw new InterruptedError('');
}
