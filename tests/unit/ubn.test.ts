/** 統一編號 and citizen-certificate card numbers (rules: taiwan-nhi-facts.md). */
import { describe, expect, it } from 'vitest';
import { isCitizenCardNumber, isValidUbn } from '../../shared/tw/ubn.ts';

describe('isValidUbn', () => {
  it('accepts numbers valid under the old divisor 10', () => {
    for (const ubn of ['22099131', '12345675', '04595257']) expect(isValidUbn(ubn)).toBe(true);
  });

  it('accepts the numbers valid only under the 2023 divisor 5', () => {
    for (const ubn of ['04595252', '10458570']) expect(isValidUbn(ubn)).toBe(true);
  });

  it('accepts a 7th digit of 7 when the total plus one passes', () => {
    // 1,0,0,0,0,0,7,x: products 1,0,0,0,0,0,28,x → 1 + 10 + x; x=3 gives 14, +1 = 15.
    expect(isValidUbn('10000073')).toBe(true);
    // A 7th digit of 6 with a total one short of a multiple of 5 (1 + 6 + 2 = 9) fails.
    expect(isValidUbn('10000062')).toBe(false);
  });

  it('refuses a wrong check digit and anything that is not 8 digits', () => {
    for (const ubn of ['12345678', '1234567', '123456789', '1234567a', '', ' 12345675']) {
      expect(isValidUbn(ubn)).toBe(false);
    }
  });
});

describe('isCitizenCardNumber', () => {
  it('is two capital letters and 14 digits', () => {
    expect(isCitizenCardNumber('TE00000000000001')).toBe(true);
    expect(isCitizenCardNumber('te00000000000001')).toBe(false);
    expect(isCitizenCardNumber('T000000000000001')).toBe(false);
    expect(isCitizenCardNumber('TE0000000000001')).toBe(false);
  });
});
