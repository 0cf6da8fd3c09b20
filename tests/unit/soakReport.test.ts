import { describe, expect, it } from 'vitest';
import { flatAfterWarmUp, report } from '../soak/soakReport.ts';

describe('soak report', () => {
  it('calls memory flat when the last third stays within 10 % of the first, after a warm-up', () => {
    // Warm-up (first quarter) may climb; only the steady part counts.
    const warmUp = [40, 60, 70, 80];
    expect(flatAfterWarmUp([...warmUp, 80, 81, 80, 82, 81, 83, 82, 84, 83, 85, 84, 86]).flat).toBe(true);
    expect(flatAfterWarmUp([...warmUp, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102]).flat).toBe(false);
  });

  it('does not call too few samples flat', () => {
    expect(flatAfterWarmUp([80, 80]).flat).toBe(false);
  });

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
