// The command specs are the one declaration of the CLI: commander, the help and completion are built from them.
import { describe, expect, it } from 'vitest';
import { HELP_GROUPS, type CommandSpec } from '../../../src/cli/spec.js';
import { PROGRAM } from '../../../src/cli/main.js';
import { COMMAND_SPECS } from '../../../src/commands/index.js';
import { EVENT_NAMES } from '../../../src/events/names.js';
import { run, tempConfigDir } from '../../helpers/cli.js';

function leaves(specs: readonly CommandSpec[], path: string[] = []): Array<{ path: string[]; spec: CommandSpec }> {
  return specs.flatMap((spec) =>
    spec.subcommands?.length ? leaves(spec.subcommands, [...path, spec.name]) : [{ path: [...path, spec.name], spec }],
  );
}

describe('command specs', () => {
  it('every top-level command has a help group; every runnable command a run and an example', () => {
    for (const spec of COMMAND_SPECS) expect(HELP_GROUPS, spec.name).toContain(spec.group);
    const all = leaves(COMMAND_SPECS);
    expect(all.length).toBeGreaterThan(25);
    for (const { path, spec } of all) {
      expect(typeof spec.run, path.join(' ')).toBe('function');
      expect(spec.examples?.length, path.join(' ')).toBeGreaterThan(0);
    }
  });

  it('every example fits a 100-column terminal as help prints it ("  $ " before it)', () => {
    const every = (specs: readonly CommandSpec[], path: string[] = []): Array<{ path: string[]; spec: CommandSpec }> =>
      specs.flatMap((spec) => [
        { path: [...path, spec.name], spec },
        ...every(spec.subcommands ?? [], [...path, spec.name]),
      ]);
    const wide = every(COMMAND_SPECS)
      .flatMap(({ path, spec }) => (spec.examples ?? []).map((e) => `${path.join(' ')}: ${e}`))
      .filter((line) => line.slice(line.indexOf(': ') + 2).length + '  $ '.length > 100);
    expect(wide).toEqual([]);
  });

  it('names and aliases are unique at every level', () => {
    const check = (specs: readonly CommandSpec[]) => {
      const names = specs.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
      expect(new Set(names).size).toBe(names.length);
      for (const s of specs) if (s.subcommands) check(s.subcommands);
    };
    check(COMMAND_SPECS);
  });

  it('top-level help lists the commands under their groups, in the groups order', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const r = await run(dir, ['--help']);
      expect(r.code).toBe(0);
      const positions = HELP_GROUPS.map((g) => r.stdout.indexOf(`\n${g}\n`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(r.stdout).toMatch(/Subscriptions\n {2}create \[options\]/);
      expect(r.stdout).toContain('list|ls [options]');
      expect(r.stdout).toContain('delete|rm [options] <uid>');
    } finally {
      cleanup();
    }
  });

  it('help <command> and help <command> <sub> show the full help; an unknown one exits 2', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const create = await run(dir, ['help', 'create']);
      expect(create.code).toBe(0);
      expect(create.stdout).toContain('--template-id <id>');
      const show = await run(dir, ['help', 'secrets', 'show']);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('--reveal');
      const nosuch = await run(dir, ['help', 'nosuch']);
      expect(nosuch.code).toBe(2);
      expect(nosuch.stderr).toContain('unknown command "nosuch"');
    } finally {
      cleanup();
    }
  });
});

describe('completion from the specs', () => {
  it('bash completes aliases, nested commands, shells and option values', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const bash = (await run(dir, ['completion', 'bash'])).stdout;
      expect(bash).toMatch(/"ls"\) words="[^"]*--status/);
      expect(bash).toContain('"list|--status") words="active paused failed"');
      expect(bash).toContain('"update|--status") words="active paused"');
      expect(bash).toContain(`"create|--event") words="${EVENT_NAMES.join(' ')}"`);
      expect(bash).toContain('"completion") words="--profile');
      expect(bash).toMatch(/"completion"\) words="[^"]*bash zsh fish"/);
      expect(bash).toMatch(/"secrets"\) words="list show set rm /);
      const fish = (await run(dir, ['completion', 'fish'])).stdout;
      expect(fish).toContain(
        "complete -c pictify-hooks -n '__fish_seen_subcommand_from list' -l platform -x -a 'zapier",
      );
      expect(fish).toContain("-n '__fish_use_subcommand' -a ls");
    } finally {
      cleanup();
    }
  });

  it('covers every flag the specs declare', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const bash = (await run(dir, ['completion', 'bash'])).stdout;
      const flags = leaves(PROGRAM.commands).flatMap(({ spec }) =>
        Object.values(spec.flags ?? {})
          .filter((o) => !o.hidden)
          .map((o) => /--[\w-]+/.exec(o.flags)![0]),
      );
      for (const flag of new Set(flags)) expect(bash, flag).toMatch(new RegExp(`[" ]${flag}[" ]`));
    } finally {
      cleanup();
    }
  });
});
