// A one-line progress bar for send's load mode, redrawn on a TTY stderr only (CI logs get the summary alone).
import type { Writer } from '../host.js';

export function renderProgress(done: number, total: number, elapsedMs: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${rate}/s`;
}

export interface ProgressBar {
  stop(): void;
}

export function startProgressBar(
  stream: Writer,
  total: number,
  state: { completed: number },
  now: () => number,
): ProgressBar {
  const started = now();
  const draw = () => void stream.write(`\r${renderProgress(state.completed, total, now() - started)}`);
  draw();
  const timer = setInterval(draw, 100);
  // The bar must never keep the process alive on its own.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw();
      stream.write('\r\x1b[2K');
    },
  };
}
