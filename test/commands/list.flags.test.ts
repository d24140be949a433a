// list's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/list/flags.js';
import { parseArgv } from '../helpers/flags.js';

const parse = async (...argv: string[]) => (await parseArgv(flags, ['list', ...argv])).options;

describe('list flags', () => {
  it('ls is list, with nothing given', async () => {
    const { path, options } = await parseArgv(flags, ['ls']);
    expect(path).toEqual(['list']);
    expect(options).toMatchObject({ all: false, event: undefined, limit: undefined, page: undefined });
  });

  it.each([
    [['--event', 'render.failed'], { event: 'render.failed' }],
    [['--status', 'paused', '--platform', 'zapier'], { status: 'paused', platform: 'zapier' }],
    [
      ['--template-id', 't1', '--binding-id', 'b1', '--type', 'gif'],
      { templateId: 't1', bindingId: 'b1', type: 'gif' },
    ],
    [['--url', 'example.com'], { url: 'example.com' }],
    [['--all'], { all: true }],
    [['--limit', '100', '--page', '3'], { limit: 100, page: 3 }],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...argv)).toMatchObject(expected);
  });

  it.each([
    [['--event', 'render.complete'], /--event: unknown event "render.complete"/],
    [['--status', 'gone'], /argument 'gone' is invalid/],
    [['--type', 'video'], /argument 'video' is invalid/],
    [['--limit', '101'], /--limit: must be between 1 and 100/],
    [['--page', '0'], /--page: must be 1 or more/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
