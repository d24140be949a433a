// `check` against our own `listen` receiver (in-process): the receiver we ship must pass every case.
import { afterAll, afterEach, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../src/receiver/index.js';
import { run, tempConfigDir } from '../helpers/cli.js';
import { flagSource } from '../../src/signing/secret-source.js';

const SECRET = 'whsec_listen_check_secret';
let receiver: RunningReceiver | undefined;
const config = tempConfigDir();

afterAll(() => config.cleanup());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

it('check passes every case against listen, and the receiver counts what it refused', async () => {
  receiver = await startReceiver({ port: 0, secrets: [{ secret: SECRET, source: flagSource() }], store: null });
  const result = await run(config.dir, ['check', receiver.url, '--secret', SECRET, '--json', '--request-gap', '0'], {
    now: () => Date.now(),
  });
  const report = JSON.parse(result.stdout) as {
    ok: boolean;
    passed: number;
    total: number;
    results: { id: string; pass: boolean; got: string }[];
  };
  expect(report.results.filter((r) => !r.pass)).toEqual([]);
  expect(result.code).toBe(0);
  expect(report).toMatchObject({ ok: true, passed: 20, total: 20 });
  // 20 requests: 6 valid + rotation + 2 duplicates verified, 11 refused, the second duplicate recognised
  expect(receiver.stats).toMatchObject({ received: 20, verified: 9, rejected: 11, duplicates: 1 });
});
