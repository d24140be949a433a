// sign's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/sign/flags.js';
import { parseArgv } from '../helpers/flags.js';

const parse = (...argv: string[]) => parseArgv(flags, ['sign', ...argv]);

describe('sign flags', () => {
  it('the event argument and no flags', async () => {
    const { args, options } = await parse('batch.failed');
    expect(args).toEqual(['batch.failed']);
    expect(Object.values(options).every((v) => v === undefined)).toBe(true);
  });

  it.each([
    [['--payload', '@body.json'], { payload: '@body.json' }],
    [['--secret', 'whsec_x', '--subscription', 'wh_1'], { secret: 'whsec_x', subscription: 'wh_1' }],
    [['--timestamp', '1700000000'], { timestamp: 1_700_000_000 }],
    [['--delivery-id', 'del_1'], { deliveryId: 'del_1' }],
    [['--curl', 'localhost:3000/hooks'], { curl: new URL('http://localhost:3000/hooks') }],
  ] as const)('%j', async (argv, expected) => {
    expect((await parse(...argv)).options).toMatchObject(expected);
  });

  it.each([
    [['--timestamp', 'now'], /--timestamp: expected unix seconds, got "now"/],
    [['--curl', 'file:///etc/passwd'], /--curl/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
