import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { COMMANDS, invokedCommands } from '../../src/commands/index.js';
import { createContext } from '../../src/cli/context.js';

const quiet = () => createContext({ io: { stdout: { write: () => true }, stderr: { write: () => true } }, env: {} });

function argsText(cmd: Command): string {
  return cmd.registeredArguments
    .map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))
    .join(' ');
}

describe('the start-up command list', () => {
  it('says exactly what each module registers (name, aliases, summary, arguments, options)', async () => {
    const program = await buildProgram(quiet(), 'all');
    const real = program.commands.filter((c) => c.name() !== 'help');
    expect(real.map((c) => c.name())).toEqual(COMMANDS.map((e) => e.name));
    for (const [i, cmd] of real.entries()) {
      const entry = COMMANDS[i];
      expect({
        name: cmd.name(),
        aliases: cmd.aliases(),
        summary: cmd.summary() || cmd.description(),
        args: argsText(cmd),
        options: cmd.options.length > 0,
      }).toEqual({
        name: entry.name,
        aliases: entry.aliases ?? [],
        summary: entry.summary,
        args: entry.args ?? '',
        options: entry.options ?? false,
      });
    }
  });

  it('top-level --help is the same with stubs as with every module loaded', async () => {
    const render = (p: Command) => p.helpInformation();
    expect(render(await buildProgram(quiet(), ['--help']))).toBe(render(await buildProgram(quiet(), 'all')));
  });

  it('finds the command after global options and after help', () => {
    expect(invokedCommands(['--profile', 'x', '--json', 'list', '--event', 'y'])).toEqual(['list']);
    expect(invokedCommands(['help', 'create'])).toEqual(['help', 'create']);
    expect(invokedCommands(['--base-url', 'http://x', '--', 'create'])).toEqual([]);
    expect(invokedCommands(['--help'])).toEqual([]);
  });
});
