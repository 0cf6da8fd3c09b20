/** Alternation over more than two sides, for sections that compare a result with several baselines. */
import { median } from './stats.ts';

/**
 * Calls every side `warmUp` times untimed, then each side once per round, in turn, for `rounds`
 * rounds, so drifts in machine load hit all sides equally. Returns each side's median.
 */
export async function alternateSides<K extends string>(
  rounds: number,
  warmUp: number,
  sides: Record<K, () => Promise<number>>,
): Promise<Record<K, number>> {
  const names = Object.keys(sides) as K[];
  for (let i = 0; i < warmUp; i++) for (const name of names) await sides[name]();
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < rounds; i++) for (const name of names) times[name].push(await sides[name]());
  return Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<K, number>;
}
