import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withEnvLine, writeEnvSecret } from '../../../src/receiver/tunnel/env-file.js';
import { tempDir } from './support.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('--write-env', () => {
  it('replaces only the PICTIFY_WEBHOOK_SECRET line, or appends it', () => {
    const before = 'A=1\n# comment\nexport PICTIFY_WEBHOOK_SECRET=old\nPICTIFY_WEBHOOK_SECRET_OTHER=keep\nB=2';
    expect(withEnvLine(before, 'PICTIFY_WEBHOOK_SECRET', 'whsec_new')).toBe(
      'A=1\n# comment\nPICTIFY_WEBHOOK_SECRET=whsec_new\nPICTIFY_WEBHOOK_SECRET_OTHER=keep\nB=2',
    );
    expect(withEnvLine('A=1', 'PICTIFY_WEBHOOK_SECRET', 'x')).toBe('A=1\nPICTIFY_WEBHOOK_SECRET=x\n');
    expect(withEnvLine('', 'PICTIFY_WEBHOOK_SECRET', 'x')).toBe('PICTIFY_WEBHOOK_SECRET=x\n');
    // A "$&" in a value is data, not a replacement pattern.
    expect(withEnvLine('PICTIFY_WEBHOOK_SECRET=a', 'PICTIFY_WEBHOOK_SECRET', 'x$&y')).toBe(
      'PICTIFY_WEBHOOK_SECRET=x$&y',
    );
  });

  it('writes the file 0600, keeping the other lines; several secrets comma-separated', async () => {
    const file = join(dir, '.env.local');
    writeFileSync(file, 'DATABASE_URL=postgres://x\n', { mode: 0o644 });
    await writeEnvSecret(file, ['whsec_a', 'whsec_b']);
    expect(readFileSync(file, 'utf8')).toBe('DATABASE_URL=postgres://x\nPICTIFY_WEBHOOK_SECRET=whsec_a,whsec_b\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await writeEnvSecret(join(dir, 'new.env'), ['whsec_c']);
    expect(readFileSync(join(dir, 'new.env'), 'utf8')).toBe('PICTIFY_WEBHOOK_SECRET=whsec_c\n');
  });
});
