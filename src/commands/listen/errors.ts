// How a listen ended, for the person at the terminal: the engine's errors carry data (src/receiver/session/errors.ts,
// src/receiver/tunnel/errors.ts); here each gets its exit code and the hint that names a flag or a command.
import { ExitCode, FailureError, SilentError, UsageError, type CliError } from '../../cli/errors.js';
import { ListenError, type ListenFailure } from '../../receiver/session/errors.js';
import type { ListenOptions } from '../../receiver/session/options.js';
import { TunnelError } from '../../receiver/tunnel/errors.js';
import { commandTunnel, publicUrlTunnel, tunnelProvider } from '../../receiver/tunnel/providers/index.js';
import { bindFailure, uiBindFailure } from '../shared/bind-failure.js';

const HINTS: Partial<Record<ListenFailure, (error: ListenError) => string>> = {
  timed_out: () =>
    'check that the sender points at the url above with the right secret; every delivery that reached listen was printed as it arrived',
  app_failed: () =>
    "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
  store_unopenable: () => 'pick another file with --store <file>, or run without one: --no-store',
  not_deleted: () => 'run `pictify-hooks cleanup` when the API is reachable',
  tunnel_died: (error) => `its log: ${error.logFile ?? '-'}; start listen again for a new tunnel`,
};

export function cliError(error: unknown, options: Pick<ListenOptions, 'host' | 'port' | 'ui'>): unknown {
  if (error instanceof TunnelError) return tunnelError(error);
  if (!(error instanceof ListenError)) return error;
  switch (error.code) {
    case 'interrupted':
      return new SilentError(ExitCode.interrupted);
    case 'bind_failed':
      return bindFailure(error.cause, options.host, options.port) ?? error.cause;
    case 'ui_bind_failed':
      return uiBindFailure(error.cause, options.ui?.port ?? 0);
    default:
      return new FailureError(error.message, { hint: HINTS[error.code]?.(error) });
  }
}

function tunnelError(error: TunnelError): CliError {
  const log = error.logFile ? `its log: ${error.logFile}` : '';
  switch (error.reason) {
    case 'missing_binary':
      return new UsageError(
        error.provider === commandTunnel.name ? error.message : `${error.binary} is not installed (not found on PATH)`,
        {
          hint:
            `${tunnelProvider(error.provider)?.install ?? 'install it'}, ` +
            'or run your own tunnel and pass --public-url <its https url>',
        },
      );
    case 'not_ready':
      return new FailureError(error.message, {
        hint: `${log}; allow longer with --tunnel-timeout, or run your own tunnel and pass --public-url`,
      });
    case 'exited_early':
      return new FailureError(error.message, { hint: `${log}; fix what its last lines say, or use --public-url` });
    case 'self_test_failed':
      return new FailureError(error.message, {
        hint:
          error.provider === publicUrlTunnel.name
            ? 'check that the url forwards to this listen (same port, nothing answering in between)'
            : `the tunnel is up but does not route to listen; ${log}`,
      });
    default:
      return new FailureError(error.message, { hint: log || undefined });
  }
}
