/** The soak runs' report: one line per figure, ✔/✘ against its goal; `must` goals decide the exit code. */

export interface SoakCheck {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
  /** A correctness goal (every request answered, no 5xx): the run fails without it. */
  must?: boolean;
}

/** Prints the checks and returns the exit code: 1 when a `must` check failed. */
export function report(checks: readonly SoakCheck[]): number {
  for (const c of checks) {
    const value = Number.isInteger(c.value) ? String(c.value) : c.value.toFixed(2);
    const mark = c.ok === undefined ? '' : `  goal ${c.goal} ${c.ok ? '✔' : '✘'}`;
    process.stdout.write(`${c.name.padEnd(56)}${value.padStart(10)} ${c.unit}${mark}\n`);
  }
  return checks.some((c) => c.must && !c.ok) ? 1 : 0;
}

/** One RSS reading: when (seconds since the run began) and how much (MB). */
export interface RssSample {
  seconds: number;
  mb: number;
}

/** How much memory may grow: the trend after warm-up, and a ceiling no sample may pass. */
export interface MemoryBounds {
  maxSlopeMbPerMin: number;
  capMb: number;
}

/**
 * The soak runs' memory bounds. A leak shows as a steady slope; garbage collection makes RSS saw up
 * and down, which a least-squares line averages out over enough cycles, where comparing two medians
 * did not. The caps are about twice the peaks of a loaded run on 2026-12-03 (portal 280 MB during
 * logins and clerk changes, host 105 MB over 10,000 operations). A 40-second portal run sees part
 * of one GC cycle (about 100 MB over some 2 minutes), so its slope is rough.
 */
export const MEMORY_BOUNDS = {
  portal: { maxSlopeMbPerMin: 4, capMb: 600 },
  host: { maxSlopeMbPerMin: 10, capMb: 200 },
} as const satisfies Record<string, MemoryBounds>;

/** Least-squares slope of y over x; 0 for fewer than two distinct x. */
export function leastSquaresSlope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * The memory trend after warm-up (the first quarter of the samples is left out): the least-squares
 * slope in MB per minute, the peak over the whole run, and whether both stay within `bounds`. Fewer
 * than 5 steady samples prove nothing and are not ok.
 */
export function memoryTrend(samples: readonly RssSample[], bounds: MemoryBounds, warmUpFraction = 0.25) {
  const steady = samples.slice(Math.floor(samples.length * warmUpFraction));
  const slopeMbPerMin = leastSquaresSlope(steady.map((s) => ({ x: s.seconds / 60, y: s.mb })));
  const peakMb = samples.reduce((max, s) => Math.max(max, s.mb), 0);
  const slopeOk = steady.length >= 5 && slopeMbPerMin <= bounds.maxSlopeMbPerMin;
  const capOk = peakMb <= bounds.capMb;
  return { slopeMbPerMin, peakMb, steadySamples: steady.length, slopeOk, capOk, ok: slopeOk && capOk };
}

/** The report lines for one process's memory: the slope and the peak, each against its bound. */
export function memoryChecks(who: string, samples: readonly RssSample[], bounds: MemoryBounds): SoakCheck[] {
  const trend = memoryTrend(samples, bounds);
  return [
    {
      name: `${who}: RSS slope after warm-up (${trend.steadySamples} samples)`,
      value: trend.slopeMbPerMin,
      unit: 'MB/min',
      goal: `≤ ${bounds.maxSlopeMbPerMin}`,
      ok: trend.slopeOk,
      must: true,
    },
    {
      name: `${who}: RSS peak`,
      value: trend.peakMb,
      unit: 'MB',
      goal: `≤ ${bounds.capMb}`,
      ok: trend.capOk,
      must: true,
    },
  ];
}
