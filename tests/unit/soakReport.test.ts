import { describe, expect, it } from 'vitest';
import {
  leastSquaresSlope,
  MEMORY_BOUNDS,
  memoryChecks,
  memoryTrend,
  report,
  type RssSample,
} from '../soak/soakReport.ts';

/** One sample a second for `seconds`, RSS from `mb(t)`. */
const series = (seconds: number, mb: (t: number) => number): RssSample[] =>
  Array.from({ length: seconds }, (_, t) => ({ seconds: t, mb: mb(t) }));

describe('least-squares slope', () => {
  it('is the slope of a straight line, and 0 for a flat one', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2, 10);
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 7 })))).toBe(0);
  });

  it('averages out noise that a two-point comparison would take for growth', () => {
    // A saw-tooth around a flat line, ending on a high tooth: last minus first is +10, the trend ~0.
    const saw = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((x) => ({ x, y: x % 2 === 0 ? 100 : 110 }));
    expect(Math.abs(leastSquaresSlope(saw))).toBeLessThan(1.5);
  });

  it('is 0 with fewer than two points or a single x', () => {
    expect(leastSquaresSlope([])).toBe(0);
    expect(leastSquaresSlope([{ x: 1, y: 3 }])).toBe(0);
    expect(leastSquaresSlope([1, 2].map((y) => ({ x: 4, y })))).toBe(0);
  });
});

describe('memory trend after warm-up', () => {
  const bounds = { maxSlopeMbPerMin: 4, capMb: 200 };

  it('measures MB per minute from samples in seconds, leaving the warm-up quarter out', () => {
    // Warm-up climbs 50 MB in 15 s, then 2 MB a minute for 45 s.
    const samples = series(60, (t) => (t < 15 ? 50 + (50 * t) / 15 : 100 + (2 * (t - 15)) / 60));
    const trend = memoryTrend(samples, bounds);
    expect(trend.slopeMbPerMin).toBeCloseTo(2, 6);
    expect(trend.ok).toBe(true);
  });

  it('fails a steady leak above the bound, however small each step is', () => {
    const leak = series(120, (t) => 80 + (5 * t) / 60 + (t % 3) * 0.5); // 5 MB/min with jitter
    const trend = memoryTrend(leak, bounds);
    expect(trend.slopeMbPerMin).toBeGreaterThan(4);
    expect(trend.slopeOk).toBe(false);
    expect(trend.ok).toBe(false);
  });

  it('fails a run whose peak passes the cap, even with a flat trend', () => {
    const high = series(60, (t) => (t === 30 ? 250 : 150));
    const trend = memoryTrend(high, bounds);
    expect(trend.capOk).toBe(false);
    expect(trend.ok).toBe(false);
  });

  it('proves nothing with fewer than 5 samples after warm-up', () => {
    expect(
      memoryTrend(
        series(4, () => 80),
        bounds,
      ).ok,
    ).toBe(false);
    expect(
      memoryTrend(
        series(8, () => 80),
        bounds,
      ).ok,
    ).toBe(true);
  });

  it('bounds the portal at 4 MB/min and the host at 10 MB/min, as issue 15 asks', () => {
    expect(MEMORY_BOUNDS.portal.maxSlopeMbPerMin).toBe(4);
    expect(MEMORY_BOUNDS.host.maxSlopeMbPerMin).toBe(10);
    const sixPerMinute = series(60, (t) => 60 + (6 * t) / 60);
    expect(memoryTrend(sixPerMinute, MEMORY_BOUNDS.portal).ok).toBe(false);
    expect(memoryTrend(sixPerMinute, MEMORY_BOUNDS.host).ok).toBe(true);
  });

  it('reports the slope and the peak as correctness goals', () => {
    const checks = memoryChecks(
      'host',
      series(60, () => 70),
      MEMORY_BOUNDS.host,
    );
    expect(checks.map((c) => [c.unit, c.ok, c.must])).toEqual([
      ['MB/min', true, true],
      ['MB', true, true],
    ]);
  });
});

describe('soak report', () => {
  it('fails the run only on a correctness goal', () => {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      expect(report([{ name: 'p99', value: 150, unit: 'ms', goal: '< 100', ok: false }])).toBe(0);
      expect(report([{ name: '5xx', value: 1, unit: '', goal: '= 0', ok: false, must: true }])).toBe(1);
    } finally {
      process.stdout.write = write;
    }
  });
});
