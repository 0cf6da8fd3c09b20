/**
 * Row ids that sort by creation: time (ms, base 36), a per-process sequence (rows made in the same
 * millisecond keep their order), then 64 random bits. 31 characters of [0-9a-z] (ID_PATTERN of
 * shared/portal/api.ts).
 */
import { randomFillSync } from 'node:crypto';

let sequence = 0;

// Random bytes drawn from the CSPRNG in blocks, each byte used once: one call per id made a
// 5,000-filing batch pay 5,000 system-random calls and buffers.
const RANDOM_BYTES = 8;
const pool = Buffer.alloc(RANDOM_BYTES * 512);
let poolOffset = pool.length;

function randomHex(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
  return hex;
}

// The time part of the last id: a batch's rows share one instant.
let lastTime = Number.NaN;
let lastTimeText = '';

export function newId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  const time = now.getTime();
  if (time !== lastTime) {
    lastTime = time;
    lastTimeText = time.toString(36).padStart(9, '0');
  }
  return lastTimeText + sequence.toString(36).padStart(6, '0') + randomHex();
}
