// Summarises a .cpuprofile (from `node --cpu-prof`, or BENCH_PROFILE_DIR=… npm run bench): self time by
// function and by file, so a missed target points at code. Usage: node bench/profile-summary.mjs <file> [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const intervals = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (intervals[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url) =>
  url ? url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|dist\/|bench\/)/, '$1') : '(native)';
const fnKey = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

function tally(keyOf) {
  const sums = new Map();
  for (const [id, us] of self) {
    const key = keyOf(byId.get(id));
    sums.set(key, (sums.get(key) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top);
}

function print(title, rows) {
  process.stdout.write(`\n${title}\n`);
  for (const [key, us] of rows) {
    process.stdout.write(
      `${(us / 1000).toFixed(1).padStart(9)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
}

// Inclusive time of the project's own functions (dist/, bench/): what a call costs with everything it calls.
// A function on the stack twice (recursion) is counted once per sample.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at);
    if (!/\/(dist|bench)\//.test(n.callFrame.url)) continue;
    const key = fnKey(n);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

process.stdout.on('error', () => process.exit(0)); // piped into head
process.stdout.write(`${file}: ${(total / 1000).toFixed(1)} ms sampled\n`);
print('self time by function', tally(fnKey));
print(
  'self time by file',
  tally((n) => shortUrl(n.callFrame.url)),
);
print('inclusive time of project functions', [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top));
