// verifyWebhookSignature ops/s against a reference implementation, measured in a separate process
// (bench/verify-worker.mjs) in many short alternating time slices; the medians of the two sides are compared.
import { join } from 'node:path';
import { startNode, stop } from '../lib/children.mjs';
import { profileFlags, ROOT } from '../lib/receivers.mjs';
import { errorRow, iqrPct, median, ratioRow } from '../lib/report.mjs';

const FIGURE = 'in-process `verifyWebhookSignature` ops/s';

export async function verifyFigures({ config, log }) {
  try {
    const child = startNode([...profileFlags(config.profileDir, 'verify'), join(ROOT, 'bench', 'verify-worker.mjs')], {
      env: {
        ...process.env,
        BENCH_VERIFY_SLICE_MS: String(config.verifySliceMs),
        BENCH_VERIFY_ROUNDS: String(config.verifyRounds),
      },
      name: 'verify-worker',
      stdout: 'pipe',
    });
    const timer = setTimeout(() => stop(child), 60_000);
    const { code, signal } = await child.exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`verify-worker exited ${code ?? signal}: ${child.stderr.trim()}`);
    const runs = JSON.parse(child.stdout);
    const row = ratioRow({
      id: 'verify-ops',
      figure: FIGURE,
      against: 'reference implementation',
      unit: '/s',
      value: median(runs.library),
      baseline: median(runs.reference),
      op: '>=',
      target: 1.0,
      runs: { ...runs, best: { library: Math.max(...runs.library), reference: Math.max(...runs.reference) } },
      notes: [`${runs.payloadBytes}-byte body as a Buffer, one secret`],
    });
    row.spread =
      `IQR library ${iqrPct(runs.library).toFixed(0)}%, reference ${iqrPct(runs.reference).toFixed(0)}% ` +
      `over ${runs.library.length} slices each`;
    log(`  library ${Math.round(row.value)}/s vs reference ${Math.round(row.baseline)}/s`);
    return [row];
  } catch (error) {
    return [errorRow({ id: 'verify-ops', figure: FIGURE, against: 'reference implementation', error })];
  }
}
