// Preloaded (with --expose-gc) into the listen of the RSS figure only: on SIGUSR2, a full GC, then one line on stderr
// with V8's heap after it, so the bench can tell memory that is still referenced (live) from heap V8 has grown and
// keeps. Nothing else in the process changes; the throughput figures never load it.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const m = process.memoryUsage();
  process.stderr.write(
    `\nBENCH_HEAP ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss })}\n`,
  );
});
