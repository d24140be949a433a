// create's and update's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags as createFlags } from '../../src/commands/create/flags.js';
import { flags as updateFlags } from '../../src/commands/update/flags.js';
import { parseArgv } from '../helpers/flags.js';

describe('create flags', () => {
  const parse = async (...argv: string[]) => (await parseArgv(createFlags, ['create', ...argv])).options;
  const required = ['--event', 'render.completed', '--url', 'https://x.example/h'];

  it.each([
    [[], { event: 'render.completed', url: 'https://x.example/h', platform: undefined }],
    [['--platform', 'n8n'], { platform: 'n8n' }],
    [
      ['--template-id', 't1', '--binding-id', 'b1', '--type', 'pdf'],
      { templateId: 't1', bindingId: 'b1', type: 'pdf' },
    ],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...required, ...argv)).toMatchObject(expected);
  });

  it.each([
    [['--url', 'https://x.example/h'], /required option '--event <event>' not specified/],
    [['--event', 'render.completed'], /required option '--url <url>' not specified/],
    [[...required, '--platform', 'ifttt'], /argument 'ifttt' is invalid/],
    [['--event', 'render.done', '--url', 'https://x.example/h'], /--event: unknown event "render.done"/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});

describe('update flags', () => {
  const parse = async (...argv: string[]) => (await parseArgv(updateFlags, ['update', 'wh_1', ...argv])).options;

  it.each([
    [[], { clearFilters: false, url: undefined, status: undefined }],
    [['--url', 'https://y.example'], { url: 'https://y.example' }],
    [['--template-id', '', '--binding-id', 'b2'], { templateId: '', bindingId: 'b2' }],
    [['--type', 'image', '--clear-filters'], { type: 'image', clearFilters: true }],
    [['--status', 'paused'], { status: 'paused' }],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...argv)).toMatchObject(expected);
  });

  it('--status takes only active or paused', async () => {
    await expect(parse('--status', 'failed')).rejects.toThrow(/argument 'failed' is invalid/);
  });
});
