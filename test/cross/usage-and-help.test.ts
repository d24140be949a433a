// What every command shares: an unknown flag is a usage error that points at --help, and every command's --help
// has a description and an example.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';

const dir = useConfigDir();

describe('usage errors and help', () => {
  it('unknown flags exit 2 with a pointer to --help', async () => {
    const r = await run(dir, ['list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus/);
    expect(r.stderr).toMatch(/--help/);
  });

  it('every command has a description and an example in --help', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const { createContext } = await import('../../src/cli/node-context.js');
    const program = await buildProgram(
      createContext({ io: { stdout: { write: () => true }, stderr: { write: () => true } }, env: {} }),
    );
    const leaves: string[][] = [];
    const walk = (cmd: typeof program, path: string[]) => {
      for (const sub of cmd.commands) {
        if (sub.name() === 'help') continue;
        if (sub.commands.length) walk(sub, [...path, sub.name()]);
        else leaves.push([...path, sub.name()]);
      }
    };
    walk(program, []);
    expect(leaves.length).toBeGreaterThan(10);
    for (const path of leaves) {
      const r = await run(dir, [...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(/Examples:\n {2}\$ .*pictify-hooks /);
    }
  });
});
