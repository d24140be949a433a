// `pictify-hooks/redis`: claims in Redis, shared by every instance that uses the same server (and the client BullMQ
// uses: ioredis). Each operation is one Lua script, so a claim takes all of a delivery's keys or none of them
// (SET NX PX for a set of keys), and complete/release act only on keys that still hold the caller's token. Every
// key carries its own expiry (the lease, then the retention): nothing needs sweeping.
//   const dedupe = redisDedupe(new Redis(process.env.REDIS_URL));
import { createHash } from 'node:crypto';
import { durationOr, type ClaimResult, type DedupeStore, type DedupeTimes } from '../claim.js';
import { newToken } from '../claim.js';

/** The part of an ioredis client this store uses (ioredis 5 and 6 fit). */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisDedupeOptions extends DedupeTimes {
  /**
   * Put before every key (default 'pictify-hooks:dedupe:'). On Redis Cluster, include a hash tag
   * ('{pictify}:dedupe:') so a delivery's keys share a slot, as a multi-key script needs.
   */
  prefix?: string;
}

export const DEFAULT_REDIS_PREFIX = 'pictify-hooks:dedupe:';
/** The value of a completed key; a leased key holds its claimant's token (a UUID, never this). */
const DONE = 'done';

// KEYS: the delivery's keys. ARGV: token, lease ms. → 0 new, 1 in flight, 2 duplicate.
const CLAIM = `local held = false
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v == '${DONE}' then return 2 end
  if v then held = true end
end
if held then return 1 end
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
return 0`;

// ARGV: token, retention ms. A key whose lease ran out is taken too (nobody else holds it); one another claimant
// took meanwhile is left alone. → how many keys were completed.
const COMPLETE = `local n = 0
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if (not v) or v == ARGV[1] then
    redis.call('SET', KEYS[i], '${DONE}', 'PX', ARGV[2])
    n = n + 1
  end
end
return n`;

// ARGV: token.
const RELEASE = `for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 0`;

interface Script {
  text: string;
  sha: string;
}

const script = (text: string): Script => ({ text, sha: createHash('sha1').update(text).digest('hex') });
const SCRIPTS = { claim: script(CLAIM), complete: script(COMPLETE), release: script(RELEASE) };

export function redisDedupe(redis: RedisScriptClient, options: RedisDedupeOptions = {}): DedupeStore {
  if (typeof redis?.evalsha !== 'function' || typeof redis.eval !== 'function') {
    throw new TypeError(
      'pictify-hooks: redisDedupe(redis) needs an ioredis client, e.g. new Redis(process.env.REDIS_URL)',
    );
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;

  /** EVALSHA, and EVAL once when the server does not have the script yet (a restart, a flush). */
  async function call(which: Script, keys: readonly string[], ...args: Array<string | number>): Promise<unknown> {
    const names = keys.map((key) => prefix + key);
    try {
      return await redis.evalsha(which.sha, names.length, ...names, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return redis.eval(which.text, names.length, ...names, ...args);
    }
  }

  return {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    async claim(keys, leaseMs): Promise<ClaimResult> {
      const token = newToken();
      const answer = Number(await call(SCRIPTS.claim, keys, token, durationOr(leaseMs, 1)));
      return answer === 0 ? { status: 'new', token } : { status: answer === 2 ? 'duplicate' : 'in_flight' };
    },
    async complete(keys, token, retentionMs) {
      await call(SCRIPTS.complete, keys, token, durationOr(retentionMs, 1));
    },
    async release(keys, token) {
      await call(SCRIPTS.release, keys, token);
    },
  };
}
