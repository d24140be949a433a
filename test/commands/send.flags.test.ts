// send's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/send/flags.js';
import { parseArgv } from '../helpers/flags.js';

const parse = (...argv: string[]) => parseArgv(flags, ['send', ...argv]);

describe('send flags', () => {
  it('defaults', async () => {
    const { options, args } = await parse('render.completed');
    expect(args).toEqual([['render.completed']]);
    expect(options).toMatchObject({ all: false, set: [], header: [], expect: '2xx' });
    for (const key of ['url', 'secret', 'payload', 'timestamp', 'count', 'concurrency', 'timeoutMs'] as const) {
      expect(options[key]).toBeUndefined();
    }
  });

  it.each([
    [['--all'], { all: true }],
    [['--url', 'localhost:3000/hooks'], { url: new URL('http://localhost:3000/hooks') }],
    [['--subscription', 'wh_1', '--secret', 'whsec_x'], { subscription: 'wh_1', secret: 'whsec_x' }],
    [['--set', 'data.a=1', '--set', 'data.b="x"'], { set: ['data.a=1', 'data.b="x"'] }],
    [['--data', '@d.json', '--payload', '-'], { data: '@d.json', payload: '-' }],
    [['--timestamp', '1700000000'], { timestamp: 1_700_000_000 }],
    [['--delivery-id', 'del_1'], { deliveryId: 'del_1' }],
    [['--header', 'X-A: 1', '--header', 'X-B: 2'], { header: ['X-A: 1', 'X-B: 2'] }],
    [['--expect', '401'], { expect: '401' }],
    [['--count', '500', '--concurrency', '20'], { count: 500, concurrency: 20 }],
    [['--timeout', '500ms'], { timeoutMs: 500 }],
    [['--timeout', '10'], { timeoutMs: 10_000 }],
  ] as const)('%j', async (argv, expected) => {
    expect((await parse('render.completed', ...argv)).options).toMatchObject(expected);
  });

  it.each([
    [['--url', 'ftp://x'], /--url/],
    [['--timestamp', '1700000000000'], /--timestamp: 1700000000000 looks like milliseconds/],
    [['--count', '0'], /--count: must be between 1 and 10000000/],
    [['--concurrency', 'many'], /--concurrency: expected a whole number/],
    [['--timeout', '2h'], /--timeout: must be between/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse('render.completed', ...argv)).rejects.toThrow(message);
  });
});
