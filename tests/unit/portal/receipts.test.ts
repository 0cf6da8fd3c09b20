/** Receipt numbers: the documented form, the Taipei day, and all 40 random bits in the tail. */
import { describe, expect, it } from 'vitest';
import { RECEIPT_PATTERN, newReceiptNo } from '../../../portal/src/services/receipts.ts';
import { newId } from '../../../portal/src/services/ids.ts';

describe('newReceiptNo', () => {
  it('writes the Taipei day in ROC style and a Crockford tail, distinct past refills of the random pool', () => {
    // 16:30 UTC on 2 December is 3 December in Taipei: 民國 115 年 12 月 3 日.
    const now = new Date('2026-12-02T16:30:00Z');
    const receipts = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? newId(now) : newReceiptNo(now)));
    const tails = receipts.filter((r) => r.length === 16).map((r) => r.slice(8));
    for (const r of receipts.filter((x) => x.length === 16)) {
      expect(r).toMatch(RECEIPT_PATTERN);
      expect(r.startsWith('1151203-')).toBe(true);
    }
    expect(new Set(tails).size).toBe(tails.length);
    // Every position takes every one of the 32 characters: no bit of the 40 is lost or fixed.
    for (let position = 0; position < 8; position++) {
      expect(new Set(tails.map((t) => t[position])).size).toBe(32);
    }
  });
});
