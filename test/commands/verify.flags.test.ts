// verify's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/verify/flags.js';
import { parseArgv } from '../helpers/flags.js';

const HEADER = 't=1700000000,v1=' + 'a'.repeat(64);
const parse = (...argv: string[]) => parseArgv(flags, ['verify', '--header', HEADER, ...argv]);

describe('verify flags', () => {
  it('only the header: every other option unset', async () => {
    const { options } = await parse();
    expect(options).toMatchObject({ header: HEADER });
    expect(options.payload).toBeUndefined();
    expect(options.toleranceSeconds).toBeUndefined();
    expect(options.now).toBeUndefined();
  });

  it.each([
    [['--payload', '@body.json'], { payload: '@body.json' }],
    [['--payload', '-'], { payload: '-' }],
    [['--secret', 'whsec_a', '--secret', 'whsec_b'], { secrets: ['whsec_a', 'whsec_b'] }],
    [['--subscription', 'wh_1'], { subscription: 'wh_1' }],
    [['--tolerance', '300'], { toleranceSeconds: 300 }],
    [['--tolerance', '10m'], { toleranceSeconds: 600 }],
    [['--now', '1700000100'], { now: 1_700_000_100 }],
  ] as const)('%j', async (argv, expected) => {
    expect((await parse(...argv)).options).toMatchObject(expected);
  });

  it.each([
    [['--tolerance', '0'], /--tolerance: must be between 1s and 7d, got "0"/],
    [['--tolerance', '8d'], /--tolerance: must be between 1s and 7d/],
    [['--now', 'yesterday'], /--now: expected unix seconds, got "yesterday"/],
    [['--now', '1700000000000'], /--now: 1700000000000 looks like milliseconds/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });

  it('--header is required', async () => {
    await expect(parseArgv(flags, ['verify', '--payload', '@body.json'])).rejects.toThrow(/--header/);
  });
});
