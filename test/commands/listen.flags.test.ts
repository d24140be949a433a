// listen's flags alone: argv → the typed options `run` gets (nothing runs; see test/helpers/flags.ts).
import { describe, expect, it } from 'vitest';
import { flags } from '../../src/commands/listen/flags.js';
import { optionsOf } from '../helpers/flags.js';

const parse = (...argv: string[]) => optionsOf(flags, ['listen', ...argv]);

describe('listen flags', () => {
  it('defaults: every defaulted flag parsed, the rest absent', async () => {
    const o = await parse();
    expect(o).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      forwardTimeoutMs: 30_000,
      storeMaxBytes: 50 * 1024 ** 2,
      maxBodyBytes: 1024 ** 2,
      tunnelTimeoutMs: 30_000,
      secrets: [],
      routes: [],
      subscribe: [],
      noStore: false,
      fsync: false,
      strict: false,
      ui: false,
      keep: false,
    });
    for (const key of ['path', 'toleranceSeconds', 'forwardTo', 'store', 'exitAfter', 'events', 'waitFor'] as const) {
      expect(o[key]).toBeUndefined();
    }
  });

  it.each([
    [['--port', '0'], { port: 0 }],
    [['--host', '0.0.0.0'], { host: '0.0.0.0' }],
    [['--path', '/hooks'], { path: '/hooks' }],
    [['--secret', 'whsec_a', '--secret', 'whsec_b'], { secrets: ['whsec_a', 'whsec_b'] }],
    [['--tolerance', '10m'], { toleranceSeconds: 600 }],
    [['--tolerance', '30'], { toleranceSeconds: 30 }],
    [['--forward-to', 'localhost:4000/x'], { forwardTo: 'http://localhost:4000/x' }],
    [
      ['--route', 'render.*=http://localhost:4000/r', '--route', 'batch.failed=localhost:5000'],
      {
        routes: [
          { pattern: 'render.*', url: 'http://localhost:4000/r' },
          { pattern: 'batch.failed', url: 'http://localhost:5000/' },
        ],
      },
    ],
    [['--forward-timeout', '250ms'], { forwardTimeoutMs: 250 }],
    [['--store', 'e.jsonl'], { store: 'e.jsonl', noStore: false }],
    [['--no-store'], { store: undefined, noStore: true }],
    [['--fsync', '--strict'], { fsync: true, strict: true }],
    [['--store-max', '512kb', '--max-body', '2mb'], { storeMaxBytes: 512 * 1024, maxBodyBytes: 2 * 1024 ** 2 }],
    [['--exit-after', '3', '--timeout', '2m'], { exitAfter: 3, timeoutMs: 120_000 }],
    [['--events', 'render.*,batch.failed'], { events: ['render.*', 'batch.failed'] }],
    [['--wait-for', 'render.completed'], { waitFor: 'render.completed' }],
    [['--ready-file', 'r.txt'], { readyFile: 'r.txt' }],
    [['--subscribe', 'render.completed', '--subscribe', 'all'], { subscribe: ['render.completed', 'all'] }],
    [['--tunnel', 'ngrok'], { tunnel: 'ngrok' }],
    [
      ['--tunnel-command', 'bore local {port}', '--tunnel-url-pattern', 'https://\\S+'],
      {
        tunnelCommand: 'bore local {port}',
        tunnelUrlPattern: 'https://\\S+',
      },
    ],
    [['--tunnel-timeout', '5s'], { tunnelTimeoutMs: 5000 }],
    [['--public-url', 'https://x.example'], { publicUrl: 'https://x.example' }],
    [['--keep', '--print-secret', '--write-env', '.env'], { keep: true, printSecret: true, writeEnv: '.env' }],
    [
      ['--ui', '--ui-port', '0', '--open', '--allow-remote-replay'],
      {
        ui: true,
        uiPort: 0,
        open: true,
        allowRemoteReplay: true,
      },
    ],
  ] as const)('%j', async (argv, expected) => {
    expect(await parse(...argv)).toMatchObject(expected);
  });

  it.each([
    [['--port', '70000'], /--port: must be between 0 and 65535/],
    [['--tolerance', '0'], /--tolerance: must be between 1s and 7d/],
    [['--forward-to', 'ftp://x'], /--forward-to/],
    [['--route', 'render.*'], /--route: invalid route/],
    [['--forward-timeout', 'soon'], /--forward-timeout: invalid duration/],
    [['--max-body', 'big'], /--max-body: invalid size/],
    [['--exit-after', '0'], /--exit-after: must be 1 or more/],
    [['--events', 'render.complete'], /--events: unknown event "render.complete"/],
    [['--wait-for', 'rendr.*'], /--wait-for/],
    [['--tunnel', 'bore'], /argument 'bore' is invalid/],
    [['--ui-port', 'x'], /--ui-port: expected a whole number/],
  ] as const)('%j is refused', async (argv, message) => {
    await expect(parse(...argv)).rejects.toThrow(message);
  });
});
