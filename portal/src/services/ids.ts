/**
 * Row ids that sort by creation: time (ms, base 36), a per-process sequence (rows made in the same
 * millisecond keep their order), then 64 random bits. 31 characters of [0-9a-z] (ID_PATTERN of
 * shared/portal/api.ts).
 */
import { randomPool, takeRandom } from './randomPool.ts';

let sequence = 0;

const RANDOM_BYTES = 8;

function randomHex(): string {
  const at = takeRandom(RANDOM_BYTES);
  return randomPool.toString('hex', at, at + RANDOM_BYTES);
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
