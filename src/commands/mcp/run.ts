// `mcp`: wires the MCP server (src/mcp) to this process: the profile's API client and config, listen's store, the
// emulator client, stderr for logs, stdin/stdout for the protocol. Ends when the client closes stdin.
import { Readable } from 'node:stream';
import type { Context } from '../../cli/context.js';
import { InterruptedError } from '../../cli/errors.js';
import type { McpHost } from '../../mcp/index.js';
import { WEBHOOK_SECRET_ENV } from '../../signing/secret-source.js';
import { profileName } from '../shared/profile-name.js';
import type { McpOptions } from './flags.js';

export async function run(ctx: Context, flags: McpOptions): Promise<void> {
  const [{ serveMcp }, { callEmulator }, { defaultStorePath }, { settingsOf }] = await Promise.all([
    import('../../mcp/index.js'),
    import('../../cli/emulator-client.js'),
    import('../../store/event-store.js'),
    import('../../cli/settings.js'),
  ]);
  // Settings that do not resolve fail each API call with their own message; here only the key is wanted.
  const settings = await settingsOf(ctx).then(
    (s) => s,
    () => undefined,
  );
  const apiKey = settings?.apiKey;
  const host: McpHost = {
    version: ctx.version,
    api: () => ctx.api(),
    config: () => ctx.config(),
    profile: profileName(ctx),
    baseUrl: settings?.baseUrl,
    storePath: flags.store ?? defaultStorePath(ctx.configDir()),
    envSecret: ctx.env[WEBHOOK_SECRET_ENV] || undefined,
    emulator: (request) => callEmulator(ctx, 'trigger_event', request),
    now: () => ctx.now(),
    log: (line) => ctx.err(line),
    redact: apiKey ? [apiKey] : [],
    allowRemote: Boolean(flags.allowRemote),
  };
  const abort = new AbortController();
  let interrupted = false;
  const off = [
    ctx.onSignal('SIGINT', () => {
      interrupted = true;
      abort.abort();
    }),
    ctx.onSignal('SIGTERM', () => abort.abort()),
  ];
  const waiting = ctx.io.stdinIsTTY
    ? ': waiting for an MCP client on stdin (an agent starts this; see docs/mcp.md)'
    : '';
  ctx.err(`pictify-hooks mcp ${ctx.version} on stdio, profile "${host.profile}", store ${host.storePath}${waiting}`);
  try {
    await serveMcp(host, { input: ctx.io.stdin ?? emptyInput(), output: ctx.io.stdout, signal: abort.signal });
  } finally {
    for (const unsubscribe of off) unsubscribe();
  }
  if (interrupted) throw new InterruptedError();
}

/** No stdin at all (a test's Context): the client has already gone. */
function emptyInput(): NodeJS.ReadableStream {
  return Readable.from([]);
}
