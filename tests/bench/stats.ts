/** Small statistics helpers for the bench: medians resist the noise of a shared 2-core machine. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Calls every side `warmUp` times untimed, then each side once per round, in turn, for `rounds`
 * rounds, so drifts in machine load hit all sides equally. Returns each side's times, by round.
 */
export async function alternateSidesByRound<K extends string>(
  rounds: number,
  warmUp: number,
  sides: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  for (let i = 0; i < warmUp; i++) for (const name of names) await sides[name]();
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < rounds; i++) for (const name of names) times[name].push(await sides[name]());
  return times;
}

/** alternateSidesByRound, each side's median. */
export async function alternateSides<K extends string>(
  rounds: number,
  warmUp: number,
  sides: Record<K, () => Promise<number>>,
): Promise<Record<K, number>> {
  const times = await alternateSidesByRound(rounds, warmUp, sides);
  const names = Object.keys(times) as K[];
  return Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<K, number>;
}

/**
 * The median over rounds of one round's ratio: a side's time over the sum of others' in the same
 * round. Load on this machine comes in bursts of seconds that slow some rounds by 2–3×; a ratio
 * taken within each round cancels them, where a ratio of medians keeps what is left of them.
 */
export function medianRoundRatio(numerator: number[], ...denominators: number[][]): number {
  return median(numerator.map((value, i) => value / denominators.reduce((sum, d) => sum + d[i]!, 0)));
}

/** Runs a and b alternately `rounds` times so drifts in machine load hit both equally. */
export function alternate(rounds: number, a: () => Promise<number>, b: () => Promise<number>) {
  return alternateSides(rounds, 0, { a, b });
}

/** One memory field of /proc/<pid>/status (VmHWM, RssAnon …), in MB. */
function procStatusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
}

/** A process's peak resident memory (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  return procStatusMb(pid, 'VmHWM');
}

/**
 * A process's resident memory now, split: private (RssAnon: heaps, stacks) and file-backed (RssFile:
 * mostly the binary's own pages, shared with every process mapping it). The file-backed part depends on
 * how the kernel holds the binary in its page cache: a binary written in one piece by the build sits
 * in large folios and maps 20–40 MB more than the same bytes read back from disk.
 */
export function rssSplitMb(pid: number): { anon: number; file: number } {
  return { anon: procStatusMb(pid, 'RssAnon'), file: procStatusMb(pid, 'RssFile') };
}

/**
 * Drops a file's pages from the kernel's page cache (GNU dd's `nocache`: posix_fadvise, no root
 * needed), so the next process maps it as read back from disk, as an installed binary is after a
 * restart. False where that is not available (not Linux, no dd).
 */
export function dropFromPageCache(file: string): boolean {
  if (process.platform !== 'linux') return false;
  return spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']).status === 0;
}

/** This process's CPU time so far (user + system, all threads, GC helpers included), in ms. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A process's CPU time so far (user + system), in seconds: /proc/<pid>/stat fields 14 and 15. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
