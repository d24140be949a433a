// After tsc and inline-specs: renders the top-level `--help` once, with commander, exactly as a run whose stdout is
// not a terminal gets it (commander then wraps at 80 columns and uses no colour, whatever the environment says),
// and writes it to dist/cli/root-help.txt. bin/ prints that file for `--help`/`-h` on a pipe or file without
// loading commander or the program: start-up for the help CI logs and `| less` see is bare Node plus one read.
// On a terminal (any width) bin/ goes through commander as before. test/e2e/help-snapshot.test.ts checks the two agree.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const render = `const { main } = await import('./dist/cli/main.js'); process.exitCode = await main(['node', 'pictify-hooks', '--help']);`;
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
const r = spawnSync(process.execPath, ['--input-type=module', '-e', render], {
  cwd: root,
  env,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (r.status !== 0 || !r.stdout.startsWith('Usage: pictify-hooks'))
  throw new Error(`help-snapshot: rendering --help failed (exit ${r.status}): ${r.stderr || r.stdout.slice(0, 200)}`);
writeFileSync(new URL('../dist/cli/root-help.txt', import.meta.url), r.stdout);
