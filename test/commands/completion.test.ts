// `completion`: shell scripts that name the commands, flags and events.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';

const dir = useConfigDir();

describe('completion', () => {
  it('completion prints scripts naming commands, flags and events', async () => {
    const bash = await run(dir, ['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _pictify_hooks pictify-hooks');
    expect(bash.stdout).toContain('binding.failed');
    expect(bash.stdout).toContain('--template-id');
    const fish = await run(dir, ['completion', 'fish']);
    expect(fish.stdout).toContain('-a create');
    expect((await run(dir, ['completion', 'tcsh'])).code).toBe(2);
  });
});
