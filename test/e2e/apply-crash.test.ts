// apply killed with -9 while a create is in flight (the fake made the subscription and holds its answer): the
// next apply takes over the dead process's lock, resends that create with the Idempotency-Key it recorded before
// sending, gets the same subscription and its secret back, and creates nothing twice.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useBinSandbox, waitFor } from '../helpers/bin.js';
import { startFaultyApi, type FaultyApi } from '../helpers/faulty-api.js';
import { THREE_SUBSCRIPTIONS } from '../helpers/subscriptions-file.js';

const { dir, cli } = useBinSandbox({ PICTIFY_API_KEY: 'pk_test_crash' });
let api: FaultyApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('apply killed with -9', () => {
  it('mid-create: the next apply converges with no duplicate and the secret kept', { timeout: 90_000 }, async () => {
    api = await startFaultyApi();
    const file = join(dir, 'pictify-hooks.yaml');
    writeFileSync(file, THREE_SUBSCRIPTIONS);
    api.faults.push({ match: /^POST /, fault: 'hang-after', skip: 1 });
    const args = ['--base-url', api.url, 'apply', '-f', file, '--yes'];
    const first = cli.spawn(args, { env: { PICTIFY_API_TIMEOUT: '60s' } });
    await waitFor(() => api!.injected['hang-after'] === 1, 'the second create to be in flight', 30_000);
    expect(api.created).toBe(2);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.default;
    // What the dead apply left: one create answered and recorded, one pending with its key, its lock folder.
    expect(config().managed['blog-cards'].uid).toBe('sub_1');
    expect(config().managed.failures.pending.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(existsSync(join(dir, 'apply.lock'))).toBe(true);

    const second = await cli.run(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      /\+ create +failures .* — resends a create an interrupted apply sent \(same Idempotency-Key\)/,
    );
    expect(api.created).toBe(3);
    expect(api.replays).toBe(1);
    const profile = config();
    expect(profile.managed.failures.uid).toBe('sub_2');
    for (const [uid, sub] of api.subs) expect(profile.secrets[uid].secret).toBe(sub.secret);
    expect(existsSync(join(dir, 'apply.lock'))).toBe(false);
    const again = await cli.run(['--base-url', api.url, 'plan', '-f', file]);
    expect(again.code).toBe(0);
  });
});
