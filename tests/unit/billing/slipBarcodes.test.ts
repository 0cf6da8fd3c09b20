/** The convenience-store barcodes and the virtual account, against their documented layout. */
import { describe, expect, it } from 'vitest';
import {
  checkCharacters,
  CODE39_CHARACTERS,
  slipBarcodes,
  SlipBarcodeError,
  STORE_BARCODE_LAYOUT,
  virtualAccount,
} from '../../../shared/billing/slipBarcodes.ts';

const input = {
  unitCode: '012345678',
  firstMonth: '2026-11',
  dueDate: '2026-12-31',
  amount: 123_456,
  collectionCode: 'NH1',
};

describe('slipBarcodes', () => {
  it('lays out the three barcodes as documented', () => {
    const [one, two, three] = slipBarcodes(input);
    expect(one).toBe('151231NH1'); // ROC 115 → 15, 12/31, collection code
    expect(two).toBe('N115110012345678'); // N, ROC 115/11, unit code padded to 10
    expect(three.slice(0, 4)).toBe('1231');
    expect(three.slice(6)).toBe('000123456');
    for (const [i, text] of [one, two, three].entries()) {
      const length = STORE_BARCODE_LAYOUT.lines[i]!.fields.reduce((s, f) => s + f.length, 0);
      expect(text).toHaveLength(length);
      expect(text).toMatch(CODE39_CHARACTERS);
    }
  });

  it('computes the check characters over all three barcodes (worked by hand)', () => {
    // text = "12345AB10001": odd positions 1,3,5,B(2),0,0 = 11 → 0 → "A"; even 2,4,A(1),1,0,1 = 9 → "9".
    expect(checkCharacters('12345', 'AB1', '0001')).toBe('A9');
    // Sums of 0 and 10 map to letters.
    expect(checkCharacters('00', '', '')).toBe('AX');
    expect(checkCharacters('5555', '', '')).toBe('BY');
  });

  it('changes the check characters when the amount changes', () => {
    const a = slipBarcodes(input)[2].slice(4, 6);
    const b = slipBarcodes({ ...input, amount: 123_457 })[2].slice(4, 6);
    expect(a).not.toBe(b);
  });

  it('refuses what does not fit the layout', () => {
    expect(() => slipBarcodes({ ...input, amount: 1_000_000_000 })).toThrow(SlipBarcodeError);
    expect(() => slipBarcodes({ ...input, amount: -1 })).toThrow(SlipBarcodeError);
    expect(() => slipBarcodes({ ...input, unitCode: '01234567890' })).toThrow(SlipBarcodeError);
    expect(() => slipBarcodes({ ...input, unitCode: '王12345678' })).toThrow(SlipBarcodeError);
    expect(() => slipBarcodes({ ...input, collectionCode: 'NH' })).toThrow(SlipBarcodeError);
  });
});

describe('virtualAccount', () => {
  it('is prefix + unit code + ROC YYMM + a check digit (weights 3,7,1)', () => {
    const account = virtualAccount('9527', '012345678', '2026-11');
    expect(account).toHaveLength(18);
    expect(account.slice(0, 17)).toBe('95270123456781511');
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(account[i]) * [3, 7, 1][i % 3]!;
    expect((sum + Number(account[17])) % 10).toBe(0);
  });
  it('refuses a bad prefix or month', () => {
    expect(() => virtualAccount('952', '012345678', '2026-11')).toThrow(SlipBarcodeError);
    expect(() => virtualAccount('9527', '012345678', '2026/11')).toThrow(SlipBarcodeError);
  });
});
