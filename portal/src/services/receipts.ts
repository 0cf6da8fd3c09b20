/**
 * 受理編號 (receipt numbers) of filing submissions. Format, designed by CardBridge (NHI's own format
 * is not public): `YYYMMDD-XXXXXXXX`
 * - `YYYMMDD`: the day the portal received the submission, Asia/Taipei, ROC year in 3 digits
 *   (1151202 = 民國 115 年 12 月 2 日), so a clerk reads the day at a glance;
 * - `XXXXXXXX`: 8 characters of Crockford base32 (0-9, A-Z without I, L, O, U: nothing to misread
 *   over the phone), 40 random bits.
 * Unique by the database (submissions.receipt_no); a collision (1 in 2^40 a day) makes the insert fail
 * and the service draws again.
 */
import { randomBytes } from 'node:crypto';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { isoToRocDate } from '../../../shared/tw/rocDate.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const RECEIPT_PATTERN = /^\d{7}-[0-9A-HJKMNP-TV-Z]{8}$/;

export function newReceiptNo(now: Date): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = CROCKFORD[Number(bits & 31n)]! + tail;
    bits >>= 5n;
  }
  return `${isoToRocDate(taipeiDate(now))}-${tail}`;
}
