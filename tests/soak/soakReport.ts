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

/**
 * Whether memory stays flat after warm-up: the samples after the first quarter are split in thirds,
 * and the last third's median may exceed the first third's by at most `tolerance`.
 */
export function flatAfterWarmUp(samples: readonly number[], tolerance = 0.1) {
  const steady = samples.slice(Math.floor(samples.length / 4));
  const third = Math.max(1, Math.floor(steady.length / 3));
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const first = median(steady.slice(0, third));
  const last = median(steady.slice(-third));
  return { first, last, flat: steady.length >= 3 && last <= first * (1 + tolerance) };
}
