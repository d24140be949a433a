// Start-up wall time: the CLI's --help and a `sign`, each against `node -e ''` spawned in the same loop, so both
// sides see the same machine load. Each iteration runs baseline, command, baseline, command; medians are compared.
import { spawnSync } from 'node:child_process';
import { BIN, cliEnv, profileFlags } from '../lib/receivers.mjs';
import { errorRow, median, quantile, ratioRow } from '../lib/report.mjs';

const COMMANDS = [
  {
    id: 'help',
    figure: '`pictify-hooks --help` wall time (median)',
    args: [BIN, '--help'],
    check: (out) => out.includes('Usage: pictify-hooks'),
    target: 1.25,
  },
  {
    id: 'sign',
    figure: '`pictify-hooks sign render.completed --secret s` wall time (median)',
    args: [BIN, 'sign', 'render.completed', '--secret', 's'],
    check: (out) => /t=\d+,v1=[0-9a-f]{64}/.test(out),
    target: 1.4,
  },
];
const BASELINE = ['-e', ''];

function timed(args, env) {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 30_000,
  });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  return { ms, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function describe(values) {
  return `p25–p75 ${quantile(values, 0.25).toFixed(1)}–${quantile(values, 0.75).toFixed(1)} ms`;
}

export async function startupFigures({ config, tmp, log }) {
  const env = cliEnv(tmp);
  const rows = [];
  for (const command of COMMANDS) {
    try {
      // A broken command must not be timed as a fast one.
      const probe = timed(command.args, env);
      if (probe.code !== 0 || !command.check(probe.stdout)) {
        throw new Error(
          `\`${command.args.slice(1).join(' ')}\` exited ${probe.code}: ${probe.stderr.trim() || probe.stdout.slice(0, 200)}`,
        );
      }
      timed(BASELINE, env); // warm the page cache for both sides
      const base = [];
      const cli = [];
      for (let i = 0; i < config.startupRuns; i++) {
        base.push(timed(BASELINE, env).ms);
        const run = timed(command.args, env);
        if (run.code !== 0) throw new Error(`run ${i + 1} exited ${run.code}: ${run.stderr.trim()}`);
        cli.push(run.ms);
      }
      if (config.profileDir) timed([...profileFlags(config.profileDir, `startup-${command.id}`), ...command.args], env);
      const row = ratioRow({
        id: command.id,
        figure: command.figure,
        against: "node -e ''",
        unit: 'ms',
        value: median(cli),
        baseline: median(base),
        op: '<=',
        target: command.target,
        runs: { cli, baseline: base },
      });
      row.spread = `cli ${describe(cli)}; node ${describe(base)}`;
      rows.push(row);
      log(
        `  ${command.id}: ${row.value.toFixed(1)} ms vs ${row.baseline.toFixed(1)} ms (${config.startupRuns} runs each)`,
      );
    } catch (error) {
      rows.push(errorRow({ id: command.id, figure: command.figure, against: "node -e ''", error }));
    }
  }
  return rows;
}
