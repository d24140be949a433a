// `login` on a real pseudo-terminal: the question stays on screen (it used to be written, then erased by
// readline's first redraw: "Pictify API key: ESC[1G ESC[0J"), the typed key is never echoed, Enter checks and
// saves it, Ctrl-C exits 130.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/bin.js';
import { readConfig, useConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runOnPty, type PtyRun } from '../helpers/pty.js';

const KEY = 'pk_test_typedonterminal42';
const QUESTION = 'Pictify API key: ';
let pty: PtyRun | undefined;
const dir = useConfigDir({ beforeRemove: () => pty?.kill() });
const emu = useEmulator({ apiKey: KEY });

const env = () => ({ PICTIFY_HOOKS_CONFIG_DIR: dir, PICTIFY_BASE_URL: emu.url });

/** What is on the prompt's line once the terminal has applied every erase: the text after the last ESC[0J. */
function promptLine(output: string): string {
  const line = output.slice(0, output.indexOf('\n', output.indexOf(QUESTION)) + 1 || undefined);
  const lastClear = Math.max(line.lastIndexOf('\x1b[0J'), line.lastIndexOf('\x1b[J'));
  return line.slice(lastClear === -1 ? 0 : lastClear).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

describe('login on a terminal', () => {
  it('keeps the question visible, hides the key (also after a backspace), checks it and saves it', async () => {
    pty = runOnPty(['login'], { env: env(), cols: 100 });
    await waitFor(() => pty!.output().includes(QUESTION), 'the question');
    pty.type(KEY.slice(0, 10));
    pty.type('x\x7f'); // a typo, then Backspace: readline redraws the whole line
    await new Promise((r) => setTimeout(r, 200));
    pty.type(`${KEY.slice(10)}\r`);
    const r = await pty.done;
    expect(r.code, r.output).toBe(0);
    expect(promptLine(r.output)).toContain(QUESTION);
    expect(r.output).not.toContain(KEY);
    expect(r.output).not.toContain(KEY.slice(0, 10));
    expect(r.output).toContain('API key pk_test_…al42 works');
    expect(readConfig(dir).profiles.default.apiKey).toBe(KEY);
  });

  it('Ctrl-C at the question exits 130 and saves nothing', async () => {
    pty = runOnPty(['login'], { env: env(), cols: 100 });
    await waitFor(() => pty!.output().includes(QUESTION), 'the question');
    pty.type('pk_te\x03');
    const r = await pty.done;
    expect(r.code).toBe(130);
    expect(r.output).toContain('interrupted');
    expect(r.output).not.toContain('pk_te');
  });
});
