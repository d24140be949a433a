// Several processes at once (two listens and a cleanup, say) writing temporary secrets: under the config lock no
// process loses another's write. Real processes, running the built modules, all started together.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfig } from '../../../src/store/config.js';
import { tempDir } from './support.js';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function writer(id: number, count: number): Promise<number | null> {
  const script = `
    const { openConfig } = await import(${JSON.stringify(`${DIST}store/config.js`)});
    const { lockedSecretBook } = await import(${JSON.stringify(`${DIST}receiver/tunnel/locked-book.js`)});
    const book = lockedSecretBook(await openConfig({ cwd: ${JSON.stringify(dir)} }));
    for (let i = 0; i < ${count}; i++)
      await book.saveSecret('default', 'wh_${id}_' + i, { secret: 'whsec_${id}_' + i });
    await book.removeSecret('default', 'wh_${id}_0');
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    child.on('close', resolve);
  });
}

describe('lockedSecretBook', () => {
  it('6 processes × 8 writes and a remove each, at once: every write kept, every remove done', async () => {
    expect(existsSync(`${DIST}receiver/tunnel/locked-book.js`), 'npm run build first').toBe(true);
    const codes = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => writer(id, 8)));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const uids = Object.keys((await openConfig({ cwd: dir })).secrets('default')).sort();
    const expected = [1, 2, 3, 4, 5, 6].flatMap((id) => [1, 2, 3, 4, 5, 6, 7].map((i) => `wh_${id}_${i}`)).sort();
    expect(uids).toEqual(expected);
  });
});
