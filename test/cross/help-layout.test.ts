// How help is laid out: the global options described once (`help options`, the top-level help), a command's help
// naming only the global options it takes (the API ones only if it calls the API), listen's flags under headings,
// and the top-level help ending with examples and where to learn more.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { COMMAND_SPECS } from '../../src/commands/index.js';

const dir = useConfigDir();

const API_NAMES = '--api-key, --base-url, --max-retry-wait, --api-timeout';
/** A global option's description: shown by `help options` and the top-level help, not by a command's help. */
const API_KEY_DESCRIPTION = 'Pictify API key (env PICTIFY_API_KEY';

/** The headings of a help text (a line of its own ending in ":"), in order. */
const headings = (text: string) => [...text.matchAll(/^([A-Z][\w ()&`-]*):$/gm)].map((m) => m[1]);

describe('command help', () => {
  it('a command that never calls the API names the general global options only, in one block', async () => {
    for (const path of [['sign'], ['verify'], ['events', 'list'], ['completion'], ['secrets', 'show']]) {
      const r = await run(dir, [...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toContain(
        'Global options (described in `pictify-hooks help options`):\n  --profile, --json, --no-color\n\nExamples:',
      );
      expect(r.stdout, path.join(' ')).not.toContain('--api-key');
      expect(r.stdout, path.join(' ')).not.toContain('Global Options:');
    }
  });

  it('a command that calls the API (or a subcommand of one) also names the API options, without their text', async () => {
    for (const path of [['create'], ['list'], ['listen'], ['auth', 'status'], ['trigger']]) {
      const r = await run(dir, [...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toContain(`  --profile, --json, --no-color\n  ${API_NAMES}\n`);
      expect(r.stdout, path.join(' ')).not.toContain(API_KEY_DESCRIPTION);
    }
  });

  it("listen's flags are listed under their headings, in order", async () => {
    const r = await run(dir, ['listen', '--help']);
    expect(r.code).toBe(0);
    expect(headings(r.stdout)).toEqual([
      'Receiving',
      'Forwarding',
      'Store',
      'CI',
      'Tunnel (real Pictify deliveries)',
      'Inspector',
      'Options',
      'Global options (described in `pictify-hooks help options`)',
      'Examples',
    ]);
    const section = (heading: string) => r.stdout.split(`\n${heading}:\n`)[1]!.split('\n\n')[0]!;
    expect(section('Forwarding')).toMatch(/^ {2}--forward-to <url> .*\n(.*\n)* {2}--route <glob=url> /);
    expect(section('CI')).toContain('--exit-after <n>');
    expect(section('Inspector')).toContain('--allow-remote-replay');
    expect(section('Options')).toBe('  -h, --help                    display help for command');
  });
});

describe('top-level help', () => {
  it('describes the global options once, the API ones under their own heading, and ends with examples and docs', async () => {
    const r = await run(dir, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.split(API_KEY_DESCRIPTION)).toHaveLength(2);
    // (The command groups' headings have no colon.)
    expect(headings(r.stdout)).toEqual(['Options', 'API options', 'Examples', 'Learn more']);
    const learnMore = r.stdout.split('\nLearn more:\n')[1]!;
    for (const topic of ['options', 'environment', 'exit-codes'])
      expect(learnMore).toContain(`pictify-hooks help ${topic}`);
    expect(learnMore).toContain('docs/');
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('`help options` describes every global option and lists the commands the API ones apply to', async () => {
    const r = await run(dir, ['help', 'options']);
    expect(r.code).toBe(0);
    for (const flag of ['--profile <name>', '--json', '--no-color', '--api-key <key>', '--api-timeout <duration>'])
      expect(r.stdout).toMatch(new RegExp(`^ {2}${flag} +\\S`, 'm'));
    const apiCommands = COMMAND_SPECS.filter((c) => c.api).map((c) => c.name);
    expect(apiCommands).toEqual(expect.arrayContaining(['create', 'listen', 'trigger']));
    expect(apiCommands).not.toContain('sign');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`emulator: ${apiCommands.join(', ')}:`);
  });
});
