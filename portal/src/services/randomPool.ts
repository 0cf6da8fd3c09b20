/**
 * Random bytes for row ids and receipt numbers, drawn from the CSPRNG in 4 KiB blocks, each byte used
 * once: a system-random call per value cost a 5,000-filing batch 5,000 calls and buffers, and a single
 * filing ~25 µs for its receipt number's five bytes.
 */
import { randomFillSync } from 'node:crypto';

/** The block; read the bytes `takeRandom` reserved before calling it again. */
export const randomPool = Buffer.alloc(4096);
let next = randomPool.length;

/** Reserves `count` unused bytes (at most the block) and returns where they start in `randomPool`. */
export function takeRandom(count: number): number {
  if (next + count > randomPool.length) {
    randomFillSync(randomPool);
    next = 0;
  }
  const at = next;
  next += count;
  return at;
}
