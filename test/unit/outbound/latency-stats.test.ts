import { describe, expect, it } from 'vitest';
import { latencyStats, percentile } from '../../../src/outbound/latency-stats.js';

describe('latencyStats', () => {
  it('computes nearest-rank percentiles over the first `count` samples without changing them', () => {
    const samples = new Float64Array(200);
    for (let i = 0; i < 100; i++) samples[i] = 100 - i; // 100..1, unsorted
    const stats = latencyStats(samples, 100);
    expect(stats).toEqual({ count: 100, min: 1, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(samples[0]).toBe(100);
  });

  it('handles empty and single samples', () => {
    expect(latencyStats([], 0)).toMatchObject({ count: 0, p50: 0, p99: 0 });
    expect(latencyStats([7])).toMatchObject({ count: 1, min: 7, p50: 7, p99: 7, max: 7 });
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([1, 2, 3], 100)).toBe(3);
  });
});
