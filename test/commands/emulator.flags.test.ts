// emulator's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/emulator/flags.js';
import { parseArgv } from '../helpers/flags.js';

const parse = (...argv: string[]) => parseArgv(flags, ['emulator', ...argv]);

describe('emulator flags', () => {
  it('no flags: the defaults', async () => {
    const { options } = await parse();
    expect(options).toMatchObject({ port: 4010, host: '127.0.0.1', retryScale: 1 });
    expect(options.allowRemote).toBeFalsy();
    expect(options.dataDir).toBeUndefined();
    expect(options.readyFile).toBeUndefined();
  });

  it.each([
    [['--port', '0'], { port: 0 }],
    [['--port', '65535'], { port: 65_535 }],
    [['--host', '::1'], { host: '::1' }],
    [['--data-dir', 'emu-data'], { dataDir: 'emu-data' }],
    [['--retry-scale', '0.001'], { retryScale: 0.001 }],
    [['--allow-remote'], { allowRemote: true }],
    [['--ready-file', '.emulator-url'], { readyFile: '.emulator-url' }],
  ] as const)('%j', async (argv, expected) => {
    expect((await parse(...argv)).options).toMatchObject(expected);
  });

  it.each([
    [['--port', 'http'], /--port: expected a whole number, got "http"/],
    [['--port', '70000'], /--port: must be between 0 and 65535, got 70000/],
    [['--retry-scale', '0'], /--retry-scale: expected a positive number, got "0"/],
    [['--retry-scale', 'fast'], /--retry-scale: expected a positive number, got "fast"/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
