// check's and emulator's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags as checkFlags } from '../../src/commands/check/flags.js';
import { flags as emulatorFlags } from '../../src/commands/emulator/flags.js';
import { parseArgv } from '../helpers/flags.js';

describe('check flags', () => {
  const parse = (...argv: string[]) => parseArgv(checkFlags, ['check', 'http://localhost:3000/h', ...argv]);

  it.each([
    [[], { secret: undefined, event: undefined, timeoutMs: undefined, gapMs: undefined }],
    [['--secret', 'whsec_x', '--subscription', 'wh_1'], { secret: 'whsec_x', subscription: 'wh_1' }],
    [['--event', 'binding.updated'], { event: 'binding.updated' }],
    [['--timeout', '500ms', '--request-gap', '0'], { timeoutMs: 500, gapMs: 0 }],
    [['--junit', 'r.xml'], { junit: 'r.xml' }],
  ] as const)('%j', async (argv, expected) => {
    const { args, options } = await parse(...argv);
    expect(args).toEqual(['http://localhost:3000/h']);
    expect(options).toMatchObject(expected);
  });

  it.each([
    [['--timeout', '11m'], /--timeout: must be between/],
    [['--request-gap', '6s'], /--request-gap: must be between/],
    [['--event', 'batch.done'], /--event: unknown event "batch.done"/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});

describe('emulator flags', () => {
  const parse = async (...argv: string[]) => (await parseArgv(emulatorFlags, ['emulator', ...argv])).options;

  it.each([
    [[], { port: 4010, host: '127.0.0.1', retryScale: 1, allowRemote: false, dataDir: undefined }],
    [['--port', '0', '--host', '::1'], { port: 0, host: '::1' }],
    [['--data-dir', 'state', '--ready-file', 'r'], { dataDir: 'state', readyFile: 'r' }],
    [['--retry-scale', '0.001', '--allow-remote'], { retryScale: 0.001, allowRemote: true }],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...argv)).toMatchObject(expected);
  });

  it.each([
    [['--port', '-1'], /--port/],
    [['--retry-scale', '0'], /--retry-scale: expected a positive number, got "0"/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
