// A payload argument (--payload, --data): `@file`, `-` for stdin, or the literal text.
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../cli/errors.js';

/** Reads `@file`, `-` (stdin) or returns the literal (refusing one that names a file: the @ was forgotten). */
export async function readPayloadArg(ctx: Context, value: string, flag: string): Promise<Buffer> {
  if (value === '-') return ctx.readStdin();
  if (value.startsWith('@')) {
    const { readFile } = await import('node:fs/promises');
    try {
      return await readFile(value.slice(1));
    } catch (error) {
      throw new UsageError(
        `${flag}: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  // A path given without its @ would be sent as the path's own text, and the receiver would say "not JSON".
  if (!/^\s*[[{"]/.test(value)) {
    const { statSync } = await import('node:fs');
    if (statSync(value, { throwIfNoEntry: false })?.isFile())
      throw new UsageError(`${flag}: ${value} is a file; write ${flag} @${value} to send its bytes`);
  }
  return Buffer.from(value);
}
