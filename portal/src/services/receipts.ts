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
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { isoToRocDate } from '../../../shared/tw/rocDate.ts';
import { randomPool, takeRandom } from './randomPool.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const RECEIPT_PATTERN = /^\d{7}-[0-9A-HJKMNP-TV-Z]{8}$/;

export function newReceiptNo(now: Date): string {
  // 40 bits are exact in a double: no BigInt needed.
  const at = takeRandom(5);
  let bits = randomPool[at]! * 2 ** 32 + randomPool.readUInt32BE(at + 1);
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = CROCKFORD[bits % 32]! + tail;
    bits = Math.floor(bits / 32);
  }
  return `${isoToRocDate(taipeiDate(now))}-${tail}`;
}
