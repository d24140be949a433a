// `pictify-hooks/redis`: claims in Redis, shared by every instance that uses the same server (and the client BullMQ
// uses: ioredis). Each operation runs in a Lua script, so a claim takes all of a delivery's keys or none of them
// (SET NX PX for a set of keys), and complete/release act only on keys that still hold the caller's lease; those
// asked for in the same turn of the event loop run in one script call, one after the other. Every
// key carries its own expiry (the lease and then the retention, the retention once completed): nothing needs
// sweeping. Scripts also reach a lease's other keys, named in its value, and other deliveries' keys: on Redis
// Cluster they share a slot only under a hash-tagged prefix (see `prefix`).
//   const dedupe = redisDedupe(new Redis(process.env.REDIS_URL));
import { createHash } from 'node:crypto';
import { durationOr, newToken, retentionOf, type ClaimResult, type DedupeStore, type DedupeTimes } from '../claim.js';

/** The part of an ioredis client this store uses (ioredis 5 and 6 fit). */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisDedupeOptions extends DedupeTimes {
  /**
   * Put before every key (default 'pictify-hooks:dedupe:'). On Redis Cluster, include a hash tag
   * ('{pictify}:dedupe:') so every key shares a slot, as a multi-key script needs.
   */
  prefix?: string;
}

export const DEFAULT_REDIS_PREFIX = 'pictify-hooks:dedupe:';
/** The value of a completed key; a leased key holds its lease as JSON ({"t": token, "e": its end, "k": its keys}). */
const DONE = 'done';

// Milliseconds by the server's clock: every instance judges a lease's end by the same clock. Once per script call:
// the operations of a batch (below) share it.
const CLOCK = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

// Each operation's own helpers. A leased key's value is its lease; one written before leases were kept past their
// end (a bare token, whose key expires with the lease) is a live lease of that key alone.
const HELPERS = `local values, leases = {}, {}
-- A key's value as this operation first read it (false when absent): a completion reads each key once. Only for
-- operations that write a key after its last read.
local function read(key)
  local v = values[key]
  if v == nil then v = redis.call('GET', key); values[key] = v end
  return v
end
-- The keys of one lease share its value: it is decoded once per operation.
local function leaseOf(key, v)
  if string.sub(v, 1, 1) ~= '{' then return { t = v, e = now + 1, k = { key } } end
  local lease = leases[v]
  if lease == nil then lease = cjson.decode(v); leases[v] = lease end
  return lease
end`;

// KEYS: the delivery's keys. ARGV: token, lease ms, retention ms. → 0 new, 1 in flight, 2 duplicate.
// A leased key is kept past its lease (for the retention) so that the next claim of any of its keys finds the
// lease: a lease that ran out is taken over whole, its keys joining the new claim (and those of any ran-out lease
// among them), so the retry of a claimant that died completes every key the dead one held.
const CLAIM = `local wanted, seen, held = {}, {}, false
for i = 1, #KEYS do
  if not seen[KEYS[i]] then seen[KEYS[i]] = true; wanted[#wanted + 1] = KEYS[i] end
end
local i = 1
while i <= #wanted do
  local v = redis.call('GET', wanted[i])
  if v == '${DONE}' then return 2 end
  if v then
    local lease = leaseOf(wanted[i], v)
    if lease.e > now then held = true
    else
      for _, k in ipairs(lease.k) do
        if not seen[k] then seen[k] = true; wanted[#wanted + 1] = k end
      end
    end
  end
  i = i + 1
end
if held then return 1 end
local lease = cjson.encode({ t = ARGV[1], e = now + tonumber(ARGV[2]), k = wanted })
for _, k in ipairs(wanted) do redis.call('SET', k, lease, 'PX', tonumber(ARGV[2]) + tonumber(ARGV[3])) end
return 0`;

// Which keys a completion or release by token ARGV[1] covers: each given key, and every key of each lease among
// them that `takes` accepts. A sibling is acted on only if it still holds that lease (by token).
const COVERED = `local function covered(takes)
  local out, seen = {}, {}
  for i = 1, #KEYS do
    local v = read(KEYS[i])
    if not v then
      if not seen[KEYS[i]] then seen[KEYS[i]] = true; out[#out + 1] = KEYS[i] end
    elseif v ~= '${DONE}' then
      local lease = leaseOf(KEYS[i], v)
      if takes(lease) then
        for _, k in ipairs(lease.k) do
          if not seen[k] then seen[k] = true; out[#out + 1] = k end
        end
      end
    end
  end
  return out
end`;

// ARGV: token, retention ms. This token's lease, or one that ran out (nobody else holds it), is completed whole;
// a lease another claimant holds is left alone. → how many keys were completed.
const COMPLETE = `${COVERED}
local function takes(lease) return lease.t == ARGV[1] or lease.e <= now end
local n = 0
for _, k in ipairs(covered(takes)) do
  local v = read(k)
  if (not v) or (v ~= '${DONE}' and takes(leaseOf(k, v))) then
    redis.call('SET', k, '${DONE}', 'PX', ARGV[2])
    n = n + 1
  end
end
return n`;

// ARGV: token. Frees every key of this token's lease.
const RELEASE = `${COVERED}
local function takes(lease) return lease.t == ARGV[1] end
for _, k in ipairs(covered(takes)) do
  local v = read(k)
  if v and v ~= '${DONE}' and takes(leaseOf(k, v)) then redis.call('DEL', k) end
end
return 0`;

// ARGV: token, lease ms, retention ms. Moves the end of this token's lease (every key of it) to now + lease.
// → 1 while the token holds it, 0 once it lost it (taken over, completed, released).
const RENEW = `for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v and v ~= '${DONE}' then
    local lease = leaseOf(KEYS[i], v)
    if lease.t == ARGV[1] then
      lease.e = now + tonumber(ARGV[2])
      local value = cjson.encode(lease)
      for _, k in ipairs(lease.k) do
        local w = redis.call('GET', k)
        if w and w ~= '${DONE}' and leaseOf(k, w).t == ARGV[1] then
          redis.call('SET', k, value, 'PX', tonumber(ARGV[2]) + tonumber(ARGV[3]))
        end
      end
      return 1
    end
  end
end
return 0`;

const OPERATIONS = { claim: CLAIM, complete: COMPLETE, release: RELEASE, renew: RENEW };
type Operation = keyof typeof OPERATIONS;

// KEYS: every operation's keys, one after the other. ARGV: per operation its name, its number of keys, its number
// of arguments, then its arguments. → each operation's answer in order, or {message} for one that failed (alone:
// the others still run, as they would have as separate calls).
const BATCH = `${CLOCK}
local OPS = {
${Object.entries(OPERATIONS)
  .map(([name, body]) => `${name} = function(KEYS, ARGV)\n${HELPERS}\n${body}\nend`)
  .join(',\n')}
}
local out, k, a = {}, 1, 1
while a <= #ARGV do
  local op, nk, na = OPS[ARGV[a]], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local keys, args = {}, {}
  for j = 1, nk do keys[j] = KEYS[k + j - 1] end
  for j = 1, na do args[j] = ARGV[a + 2 + j] end
  k, a = k + nk, a + 3 + na
  local ok, answer = pcall(op, keys, args)
  if ok then out[#out + 1] = answer
  else out[#out + 1] = { type(answer) == 'table' and answer.err or tostring(answer) } end
end
return out`;

interface Script {
  text: string;
  sha: string;
}

const script = (text: string): Script => ({ text, sha: createHash('sha1').update(text).digest('hex') });
const SCRIPTS = Object.fromEntries(
  Object.entries(OPERATIONS).map(([name, body]) => [name, script(`${CLOCK}\n${HELPERS}\n${body}`)]),
) as Record<Operation, Script>;
const BATCH_SCRIPT = script(BATCH);
/** Operations in one batch at most: a script blocks the server while it runs. */
const BATCH_MAX = 128;

interface Pending {
  operation: Operation;
  keys: string[];
  args: Array<string | number>;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

export function redisDedupe(redis: RedisScriptClient, options: RedisDedupeOptions = {}): DedupeStore {
  if (typeof redis?.evalsha !== 'function' || typeof redis.eval !== 'function') {
    throw new TypeError(
      'pictify-hooks: redisDedupe(redis) needs an ioredis client, e.g. new Redis(process.env.REDIS_URL)',
    );
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;

  /** EVALSHA, and EVAL once when the server does not have the script yet (a restart, a flush). */
  async function evaluate(which: Script, keys: readonly string[], args: ReadonlyArray<string | number>) {
    try {
      return await redis.evalsha(which.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return redis.eval(which.text, keys.length, ...keys, ...args);
    }
  }

  // Operations asked for in the same turn of the event loop (the claims of every request read in it, the completions
  // of every add answered in one reply) go to Redis as one script call: one write and one reply instead of one
  // each, which is most of what a claim costs a receiver under load. Alone, an operation is its own script.
  const pending: Pending[] = [];
  function flush(): void {
    // More than a batch holds: the rest goes in the next turn.
    const batch = pending.splice(0, BATCH_MAX);
    if (pending.length > 0) setImmediate(flush);
    if (batch.length === 1) {
      const [one] = batch;
      evaluate(SCRIPTS[one.operation], one.keys, one.args).then(one.resolve, one.reject);
      return;
    }
    const keys = batch.flatMap((op) => op.keys);
    const args = batch.flatMap((op) => [op.operation, op.keys.length, op.args.length, ...op.args]);
    evaluate(BATCH_SCRIPT, keys, args).then(
      (answers) => {
        batch.forEach((op, i) => {
          const answer = (answers as unknown[])[i];
          if (Array.isArray(answer)) op.reject(new Error(`pictify-hooks: redisDedupe ${op.operation}: ${answer[0]}`));
          else op.resolve(answer);
        });
      },
      (error) => batch.forEach((op) => op.reject(error)),
    );
  }
  function call(operation: Operation, keys: readonly string[], ...args: Array<string | number>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (pending.push({ operation, keys: keys.map((key) => prefix + key), args, resolve, reject }) === 1) {
        setImmediate(flush);
      }
    });
  }

  const store: DedupeStore = {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    timeoutMs: options.timeoutMs,
    async claim(keys, leaseMs): Promise<ClaimResult> {
      const token = newToken();
      const answer = Number(await call('claim', keys, token, durationOr(leaseMs, 1), retentionOf(store)));
      return answer === 0 ? { status: 'new', token } : { status: answer === 2 ? 'duplicate' : 'in_flight' };
    },
    async complete(keys, token, retentionMs) {
      await call('complete', keys, token, durationOr(retentionMs, 1));
    },
    async release(keys, token) {
      await call('release', keys, token);
    },
    async renew(keys, token, leaseMs) {
      return Number(await call('renew', keys, token, durationOr(leaseMs, 1), retentionOf(store))) === 1;
    },
  };
  return store;
}
