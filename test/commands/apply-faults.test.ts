// apply against an independent fake of the API (node:http, port 0) that injects faults into the creates: 429 with
// Retry-After, a 5xx after creating, a dropped connection after creating, an answer that never comes (timeout).
// Whatever the first apply manages, a re-run ends converged: one subscription per name, none twice, and every
// secret the fake handed out stored in the profile.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';
import { startFaultyApi, type Fault, type FaultyApi } from '../helpers/faulty-api.js';
import { THREE_SUBSCRIPTIONS } from '../helpers/subscriptions-file.js';

const dir = useConfigDir();
let api: FaultyApi;
beforeEach(async () => {
  api = await startFaultyApi();
});
afterEach(() => api.close());

const THREE = THREE_SUBSCRIPTIONS;

const file = () => join(dir, 'pictify-hooks.yaml');
const env = () => ({
  PICTIFY_BASE_URL: api.url,
  PICTIFY_API_KEY: 'pk_test_faults',
  PICTIFY_MAX_RETRY_WAIT: '50ms',
  PICTIFY_API_TIMEOUT: '400ms',
  NO_COLOR: '1',
});
const apply = () => run(dir, ['apply', '-f', file(), '--yes'], { env: env(), now: () => Date.now() });
const plan = () => run(dir, ['plan', '-f', file(), '--json'], { env: env(), now: () => Date.now() });

/** One subscription per name, nothing else live, and the profile holds the secret the fake made for each. */
async function expectConverged(names: string[]) {
  const planned = await plan();
  expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  const profile = readConfig(dir).profiles.default;
  const uids = names.map((name) => profile.managed[name].uid as string);
  expect(new Set(uids).size).toBe(names.length);
  expect([...api.subs.keys()].sort()).toEqual([...uids].sort());
  for (const uid of uids) expect(profile.secrets[uid].secret).toBe(api.subs.get(uid)!.secret);
  for (const name of names) expect(profile.managed[name].pending).toBeUndefined();
}

const tally: string[] = [];
afterAll(() => {
  // The figures the report quotes.
  console.log(`apply fault tests:\n${tally.join('\n')}`);
});

interface Scenario {
  fault: Fault;
  times: number;
  /** Whether the first apply gets through on the client's own retries. */
  firstRun: 0 | 1;
}

const scenarios: Scenario[] = [
  { fault: 'rate-limit', times: 1, firstRun: 0 },
  { fault: 'rate-limit', times: 4, firstRun: 1 },
  { fault: 'error-after', times: 1, firstRun: 1 },
  { fault: 'drop-after', times: 1, firstRun: 0 },
  { fault: 'drop-after', times: 4, firstRun: 1 },
  { fault: 'hang-after', times: 4, firstRun: 1 },
];

describe('apply under injected faults', () => {
  for (const s of scenarios) {
    it(`${s.fault} ×${s.times} on the second create: converges after a re-run`, { timeout: 30_000 }, async () => {
      writeFileSync(file(), THREE);
      // The second create fails, and for ×4 every retry of it too (the client makes 4 attempts per call).
      for (let i = 0; i < s.times; i++) {
        api.faults.push({ match: /^POST \/webhook-subscriptions$/, fault: s.fault, ...(i === 0 && { skip: 1 }) });
      }
      const first = await apply();
      const posts = api.log.filter((l) => l.startsWith('POST')).length;
      expect(first.code, first.stderr).toBe(s.firstRun);
      if (s.firstRun === 1) {
        expect(first.stderr).toMatch(/apply stopped at create/);
        expect(first.stderr).toMatch(/run apply again/);
      }
      const second = await apply();
      expect(second.code, second.stderr).toBe(0);
      await expectConverged(['blog-cards', 'failures', 'bindings']);
      const third = await apply();
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(/No changes/);
      expect(api.created).toBe(3);
      tally.push(
        `  ${s.fault} ×${s.times}: first apply exit ${first.code}, POSTs ${api.log.filter((l) => l.startsWith('POST')).length} (first run ${posts}), replays ${api.replays}, subscriptions created ${api.created}, live ${api.subs.size}, secrets held 3/3`,
      );
    });
  }

  it(
    'a replace whose delete fails: the new secret is kept and the next apply deletes the old one',
    { timeout: 30_000 },
    async () => {
      writeFileSync(file(), THREE);
      expect((await apply()).code).toBe(0);
      const oldUid = readConfig(dir).profiles.default.managed.failures.uid;
      writeFileSync(file(), THREE.replace('event: render.failed', 'event: binding.failed'));
      // The delete is carried out, then answered 500 (not retried: a 500 may mean anything).
      api.faults.push({ match: /^DELETE /, fault: 'error-after' });
      const stopped = await apply();
      expect(stopped.code).toBe(1);
      const profile = readConfig(dir).profiles.default;
      const newUid = profile.managed.failures.uid;
      expect(newUid).not.toBe(oldUid);
      expect(profile.secrets[newUid].secret).toBe(api.subs.get(newUid)!.secret);
      // error-after deleted it and then answered 500: gone already, but recorded as retiring until an apply sees it.
      const again = await apply();
      expect(again.code, again.stderr).toBe(0);
      await expectConverged(['blog-cards', 'failures', 'bindings']);
      expect(readConfig(dir).profiles.default.managed.failures.retiring).toBeUndefined();
      expect(readConfig(dir).profiles.default.secrets[oldUid]).toBeUndefined();
      tally.push(`  replace, DELETE error-after ×1: converged, live ${api.subs.size}, created ${api.created}`);
    },
  );
});
