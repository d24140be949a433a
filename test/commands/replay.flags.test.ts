// replay's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/replay/flags.js';
import { FIXED_NOW } from '../helpers/cli.js';
import { parseArgv } from '../helpers/flags.js';

const parse = async (...argv: string[]) => (await parseArgv(flags, ['replay', ...argv])).options;

describe('replay flags', () => {
  it('defaults', async () => {
    expect(await parse('evt_1')).toEqual({
      all: false,
      includeReplays: false,
      sinceMs: undefined,
      to: undefined,
      secret: undefined,
      asIs: false,
      dryRun: false,
      yes: false,
      store: undefined,
      timeoutMs: 30_000,
    });
  });

  it.each([
    [['--all', '--since', '2h'], { all: true, sinceMs: FIXED_NOW - 2 * 3_600_000 }],
    [['--all', '--since', '2026-11-26T11:00:00Z'], { sinceMs: Date.UTC(2026, 10, 26, 11) }],
    [['--to', 'http://localhost:4000/x/../y'], { to: 'http://localhost:4000/x/../y' }],
    [['--secret', 'whsec_x'], { secret: 'whsec_x' }],
    [['--as-is', '--dry-run', '-y'], { asIs: true, dryRun: true, yes: true }],
    [['--store', 's.jsonl', '--timeout', '5s'], { store: 's.jsonl', timeoutMs: 5000 }],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...argv)).toMatchObject(expected);
  });

  it.each([
    [['--all', '--since', 'yesterday'], /--since: invalid time "yesterday"/],
    [['evt_1', '--timeout', 'x'], /--timeout: invalid duration "x"/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
