// How each way a listen ends reaches the user: the engine's errors carry data, listen's command gives each its exit
// code and its hint. The texts are the ones listen printed before its engine moved out of the command.
import { describe, expect, it } from 'vitest';
import { cliError } from '../../src/commands/listen/errors.js';
import { ListenError, type ListenFailure } from '../../src/receiver/session/errors.js';
import { TunnelError, type TunnelFailure } from '../../src/receiver/tunnel/errors.js';

const options = { host: '127.0.0.1', port: 3000, ui: { port: 4141, open: false, allowRemoteReplay: false } };
const shown = (error: unknown) => {
  const e = cliError(error, options) as { exitCode?: number; message: string; hint?: string };
  return { exit: e.exitCode, message: e.message, hint: e.hint };
};

describe('listen errors: exit code and hint', () => {
  it.each<[ListenFailure, number, string | undefined]>([
    ['interrupted', 130, undefined],
    [
      'timed_out',
      1,
      'check that the sender points at the url above with the right secret; every delivery that reached listen was printed as it arrived',
    ],
    [
      'app_failed',
      1,
      "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
    ],
    ['store_unopenable', 1, 'pick another file with --store <file>, or run without one: --no-store'],
    ['store_unreadable', 1, undefined],
    ['write_env_failed', 1, undefined],
    ['not_deleted', 1, 'run `pictify-hooks cleanup` when the API is reachable'],
    ['tunnel_died', 1, 'its log: /logs/t.log; start listen again for a new tunnel'],
  ])('%s → exit %i', (code, exit, hint) => {
    const got = shown(new ListenError(code, 'what happened', { logFile: '/logs/t.log' }));
    expect(got.exit).toBe(exit);
    expect(got.hint).toBe(hint);
    if (exit !== 130) expect(got.message).toBe('what happened');
  });

  it('a port taken, for the receiver and for the page: the flag that moves each', () => {
    const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(shown(new ListenError('bind_failed', taken.message, { cause: taken }))).toMatchObject({
      exit: 1,
      message: 'port 3000 on 127.0.0.1 is already in use',
      hint: 'stop the other process, or pick another port with --port (0 picks a free one)',
    });
    expect(shown(new ListenError('ui_bind_failed', taken.message, { cause: taken }))).toMatchObject({
      exit: 1,
      message: '--ui-port 4141: 127.0.0.1:4141 is already in use (another inspector?)',
    });
    const other = new Error('something else');
    expect(cliError(new ListenError('bind_failed', other.message, { cause: other }), options)).toBe(other);
  });

  it.each<[TunnelFailure, string, number, string]>([
    [
      'missing_binary',
      'ngrok',
      2,
      'install it (brew install ngrok, or https://ngrok.com/download, then `ngrok config add-authtoken <token>`), ' +
        'or run your own tunnel and pass --public-url <its https url>',
    ],
    [
      'not_ready',
      'ngrok',
      1,
      'its log: /t.log; allow longer with --tunnel-timeout, or run your own tunnel and pass --public-url',
    ],
    ['exited_early', 'ngrok', 1, 'its log: /t.log; fix what its last lines say, or use --public-url'],
    ['self_test_failed', 'ngrok', 1, 'the tunnel is up but does not route to listen; its log: /t.log'],
    [
      'self_test_failed',
      'public-url',
      1,
      'check that the url forwards to this listen (same port, nothing answering in between)',
    ],
  ])('tunnel %s (%s) → exit %i', (reason, provider, exit, hint) => {
    const got = shown(new TunnelError(reason, 'the tunnel failed', { provider, binary: provider, logFile: '/t.log' }));
    expect(got.exit).toBe(exit);
    expect(got.hint).toBe(hint);
  });

  it('a missing --tunnel-command keeps its own message; a missing tool is named', () => {
    const command = new TunnelError('missing_binary', 'the tunnel command was not found: bore local 3000', {
      provider: 'command',
      binary: 'bore local 3000',
    });
    expect(shown(command).message).toBe('the tunnel command was not found: bore local 3000');
    const tool = new TunnelError('missing_binary', 'spawn ENOENT', { provider: 'ngrok', binary: 'ngrok' });
    expect(shown(tool).message).toBe('ngrok is not installed (not found on PATH)');
  });
});
