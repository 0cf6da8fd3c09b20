/**
 * Row ids that sort by creation: time (ms, base 36), a per-process sequence (rows made in the same
 * millisecond keep their order), then 64 random bits. 31 characters of [0-9a-z] (ID_PATTERN of
 * shared/portal/api.ts).
 */
import { randomBytes } from 'node:crypto';

let sequence = 0;

export function newId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  return (
    now.getTime().toString(36).padStart(9, '0') +
    sequence.toString(36).padStart(6, '0') +
    randomBytes(8).toString('hex')
  );
}
