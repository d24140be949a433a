// How a listen ended badly, as data: listen's command gives each code its exit code and the hint that names a flag
// or a command (src/commands/listen/errors.ts). Tunnel failures are TunnelError (src/receiver/tunnel/errors.ts).
import { DomainError } from '../../errors.js';

export type ListenFailure =
  /** Ctrl-C: exit 130, nothing more said. */
  | 'interrupted'
  /** --timeout passed before --exit-after/--wait-for was met. */
  | 'timed_out'
  /** Deliveries verified, but the app behind --forward-to/--route refused them. */
  | 'app_failed'
  | 'store_unopenable'
  /** The event store is there but its delivery ids cannot be read back. */
  | 'store_unreadable'
  | 'write_env_failed'
  /** Temporary subscriptions that could not be deleted (they stay recorded for `cleanup`). */
  | 'not_deleted'
  /** The tunnel exited while listening (`logFile`: its log). */
  | 'tunnel_died'
  /** The receiver's port could not be bound (`cause`: the error from listen()). */
  | 'bind_failed'
  /** The inspector page's port could not be bound (`cause`: the error). */
  | 'ui_bind_failed';

export class ListenError extends DomainError {
  readonly code: ListenFailure;
  readonly logFile?: string;
  constructor(code: ListenFailure, message: string, options: { cause?: unknown; logFile?: string } = {}) {
    super(message, options);
    this.code = code;
    this.logFile = options.logFile;
  }
}
