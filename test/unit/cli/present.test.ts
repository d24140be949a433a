// The presenter decides json | human and sanitises: renderers get escaped data and style it; our colour survives.
import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/cli/context.js';
import { createContext } from '../../../src/cli/node-context.js';
import { present, presentItem, presentNote } from '../../../src/cli/present.js';
import { loadStyles } from '../../../src/output/style.js';

const HOSTILE = 'x\u001b]0;pwned\u0007\u009b2J\u202e';

function testContext(options: { json?: boolean; color?: boolean; tty?: boolean } = {}) {
  const out = { stdout: '', stderr: '' };
  const ctx: Context = createContext({
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      stdoutIsTTY: options.tty ?? false,
      stderrIsTTY: options.tty ?? false,
    },
    env: options.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' },
  });
  ctx.globals = { json: options.json };
  return { ctx, out };
}

describe('present', () => {
  it('--json: the data (or the json view) as one document, controls as \\u escapes, nothing human', () => {
    const { ctx, out } = testContext({ json: true });
    present(ctx, { id: HOSTILE }, () => 'human');
    present(ctx, { id: HOSTILE, secret: 'whsec_full' }, () => 'human', { json: { id: HOSTILE } });
    const [first, second] = out.stdout.trim().split('\n');
    expect(JSON.parse(first)).toEqual({ id: HOSTILE });
    expect(JSON.parse(second)).toEqual({ id: HOSTILE });
    expect(out.stdout).toContain('\\u001b]0;pwned\\u0007\\u009b2J\\u202e');
    expect(out.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    expect(out.stderr).toBe('');
  });

  it('human: the renderer gets sanitised data (keys and nested values too) and its own colour stays', async () => {
    await loadStyles();
    const { ctx, out } = testContext({ color: true, tty: true });
    present(ctx, { rows: [{ [HOSTILE]: HOSTILE }] }, (d, s) =>
      d.rows.flatMap((r) => Object.entries(r).map(([k, v]) => s.red(`${k}=${v}`))),
    );
    expect(out.stdout).toBe(
      `\u001b[31mx\\x1b]0;pwned\\x07\\x9b2J\\u202e=x\\x1b]0;pwned\\x07\\x9b2J\\u202e\u001b[39m\n`,
    );
  });

  it('humanTo stderr, presentItem lines, and presentNote only for people', () => {
    const human = testContext();
    present(human.ctx, { uid: 'wh_1' }, (d) => `Deleted ${d.uid}.`, { humanTo: 'stderr' });
    presentItem(human.ctx, { n: 1 }, (d) => [`one ${d.n}`, 'two']);
    presentNote(human.ctx, HOSTILE, (t) => `note ${t}`);
    expect(human.out.stdout).toBe('one 1\ntwo\n');
    expect(human.out.stderr).toBe('Deleted wh_1.\nnote x\\x1b]0;pwned\\x07\\x9b2J\\u202e\n');

    const json = testContext({ json: true });
    presentItem(json.ctx, { n: 1 }, () => 'human');
    presentItem(json.ctx, { n: 2 }, () => 'human');
    presentNote(json.ctx, 'x', () => 'note');
    expect(json.out.stdout).toBe('{"n":1}\n{"n":2}\n');
    expect(json.out.stderr).toBe('');
  });
});
