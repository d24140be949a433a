// listen's closing errors say what happened in words that agree with each other.
import { describe, expect, it } from 'vitest';
import { cliError } from '../../../src/commands/listen/errors.js';
import { appFailed, timedOut } from '../../../src/receiver/session/report.js';

const failures = (statuses: number[], unreachable?: string, count = 6) => ({
  count,
  statuses: new Set(statuses),
  urls: new Set(['http://127.0.0.1:4000/hooks']),
  unreachable,
});

describe("listen's app-failure and time-out errors", () => {
  it('an app that answered: "answered 400 to all of them"', () => {
    expect(appFailed(6, failures([400])).message).toBe(
      '6 deliveries verified, but your app at http://127.0.0.1:4000/hooks answered 400 to all of them',
    );
  });

  it('an app that could not be reached: "for all of them", never "to all of them"', () => {
    expect(appFailed(6, failures([], 'connection refused')).message).toBe(
      '6 deliveries verified, but your app at http://127.0.0.1:4000/hooks could not be reached (connection refused) ' +
        'for all of them',
    );
  });

  it('a time-out does not point at rejections "listed above" that may not exist', () => {
    const error = timedOut({ exitAfter: 2, timeoutMs: 5000 } as Parameters<typeof timedOut>[0], 0);
    expect(error.message).toBe('timed out after 5s: 0 of 2 verified deliveries arrived');
    const shown = cliError(error, { host: '127.0.0.1', port: 3000 }) as { message: string; hint?: string };
    expect(shown.message).toBe(error.message);
    expect(shown.hint).toContain('every delivery that reached listen was printed as it arrived');
    expect(shown.hint).not.toContain('listed above');
  });
});
