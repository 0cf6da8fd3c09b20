/**
 * Taiwan national ID and resident numbers. The checksum is re-implemented here from the published
 * rule (not from the module) and used as the oracle:
 *   letter values A10 B11 C12 D13 E14 F15 G16 H17 I34 J18 K19 L20 M21 N22 O35 P23 Q24 R25 S26 T27
 *   U28 V29 W32 X30 Y31 Z33; sum = tens×1 + units×9 + d2..d9 × 8..1 + d10; valid when sum % 10 = 0.
 *   Old resident numbers ([A-Z][A-D]…) use the units digit of the second letter's value as d2.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNationalId, isNhiCardNumber, isValidNationalId } from '../../shared/tw/nationalId.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const VALUES = [
  10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
];
const letterValue = (c: string): number => VALUES[LETTERS.indexOf(c)]!;

/** Reference checksum over the first nine characters; returns the check digit that makes it valid. */
function referenceCheckDigit(prefix: string): number {
  const first = letterValue(prefix[0]!);
  const second = /[A-D]/.test(prefix[1]!) ? letterValue(prefix[1]!) % 10 : Number(prefix[1]);
  const digits = [second, ...prefix.slice(2, 9).split('').map(Number)];
  const weights = [8, 7, 6, 5, 4, 3, 2, 1];
  let sum = Math.floor(first / 10) * 1 + (first % 10) * 9;
  digits.forEach((d, i) => (sum += d * weights[i]!));
  return (10 - (sum % 10)) % 10;
}

const letter = fc.constantFrom(...LETTERS.split(''));
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

describe('the reference implementation itself', () => {
  it('agrees with the well-known valid ID A123456789', () => {
    expect(referenceCheckDigit('A12345678')).toBe(9);
  });
});

describe('checkNationalId', () => {
  it('accepts the well-known example A123456789 as a citizen ID', () => {
    expect(checkNationalId('A123456789')).toEqual({ valid: true, kind: 'citizen' });
    expect(isValidNationalId('A123456789')).toBe(true);
  });

  // Check digits worked out by hand from the rule:
  //   F131104093: F=15 → 1 + 45 = 46; 1·8+3·7+1·6+1·5+0·4+4·3+0·2+9·1 = 61; 46+61 = 107 → 3.
  //   O100000004: O=35 → 3 + 45 = 48; 1·8 = 8; 48+8 = 56 → 4 (O is out of alphabetical order).
  //   Z200000004: Z=33 → 3 + 27 = 30; 2·8 = 16; 30+16 = 46 → 4.
  it.each([
    ['F131104093', true],
    ['F131104092', false],
    ['O100000004', true],
    ['O100000003', false],
    ['Z200000004', true],
    ['Z200000005', false],
  ])('%s valid=%s (check digit computed by hand)', (id, valid) => {
    expect(checkNationalId(id).valid).toBe(valid);
  });

  it('marks a wrong check digit as a checksum error, with the kind still recognised', () => {
    expect(checkNationalId('A123456788')).toEqual({ valid: false, kind: 'citizen', reason: 'checksum' });
  });

  it('finds exactly one valid check digit for any citizen prefix, the one the rule gives', () => {
    fc.assert(
      fc.property(letter, fc.constantFrom('1', '2'), digits(7), (l, g, rest) => {
        const prefix = `${l}${g}${rest}`;
        const valid = [...'0123456789'].filter((d) => checkNationalId(prefix + d).valid);
        expect(valid).toEqual([String(referenceCheckDigit(prefix))]);
        expect(checkNationalId(prefix + valid[0]!).kind).toBe('citizen');
      }),
      { numRuns: 500 },
    );
  });

  it('uses the same rule for new resident numbers [A-Z][89]…', () => {
    fc.assert(
      fc.property(letter, fc.constantFrom('8', '9'), digits(7), (l, g, rest) => {
        const prefix = `${l}${g}${rest}`;
        const valid = [...'0123456789'].filter((d) => checkNationalId(prefix + d).valid);
        expect(valid).toEqual([String(referenceCheckDigit(prefix))]);
        expect(checkNationalId(prefix + valid[0]!)).toEqual({ valid: true, kind: 'resident-new' });
      }),
      { numRuns: 300 },
    );
  });

  it('uses the units digit of the second letter for old resident numbers [A-Z][A-D]…', () => {
    fc.assert(
      fc.property(letter, fc.constantFrom('A', 'B', 'C', 'D'), digits(7), (l, g, rest) => {
        const prefix = `${l}${g}${rest}`;
        const valid = [...'0123456789'].filter((d) => checkNationalId(prefix + d).valid);
        expect(valid).toEqual([String(referenceCheckDigit(prefix))]);
        expect(checkNationalId(prefix + valid[0]!)).toEqual({ valid: true, kind: 'resident-old' });
      }),
      { numRuns: 300 },
    );
  });

  it('computes an old resident number by hand: AB12345678', () => {
    // A=10 → 1 + 0 = 1; B=11 → units 1 → 1·8 = 8; 1·7+2·6+3·5+4·4+5·3+6·2+7·1 = 84; 1+8+84 = 93 → 7.
    expect(checkNationalId('AB12345677')).toEqual({ valid: true, kind: 'resident-old' });
    expect(checkNationalId('AB12345678')).toEqual({ valid: false, kind: 'resident-old', reason: 'checksum' });
  });

  it.each([
    ['too short', 'A12345678'],
    ['too long', 'A1234567890'],
    ['lower-case letter', 'a123456789'],
    ['second digit 3 (not a citizen or resident code)', 'A323456789'],
    ['second letter E (old residents only use A-D)', 'AE23456789'],
    ['digit first', '1123456789'],
    ['letter in the digits', 'A12345678X'],
    ['surrounding space', ' A123456789'],
    ['blank', ''],
  ])('rejects the format: %s', (_, value) => {
    expect(checkNationalId(value)).toEqual({ valid: false, reason: 'format' });
  });
});

describe('isNhiCardNumber', () => {
  it.each([
    ['000012345678', true],
    ['123456789012', true],
    ['12345678901', false],
    ['1234567890123', false],
    ['12345678901A', false],
    ['１２３４５６７８９０１２', false], // full-width digits are not card numbers
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isNhiCardNumber(value)).toBe(expected);
  });
});
