/**
 * Taiwan national ID (身分證字號) and resident certificate numbers: format and checksum.
 * Rules: ../../shared/reference/taiwan-nhi-facts.md ("Validation rules", confirmed).
 */

/** Two-digit values of the leading letter (A=10 … Z=33; I, O, W, X, Y, Z out of order). */
// prettier-ignore
const LETTER_VALUES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

export type IdKind = 'citizen' | 'resident-new' | 'resident-old';

export interface IdCheck {
  valid: boolean;
  kind?: IdKind;
  /** Why it is invalid, for a form field: 'format' or 'checksum'. */
  reason?: 'format' | 'checksum';
}

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1] as const;

/** Checks the format and checksum of a national ID or resident number (upper-case expected). */
export function checkNationalId(value: string): IdCheck {
  let kind: IdKind;
  if (/^[A-Z][12]\d{8}$/.test(value)) kind = 'citizen';
  else if (/^[A-Z][89]\d{8}$/.test(value)) kind = 'resident-new';
  else if (/^[A-Z][A-D]\d{8}$/.test(value)) kind = 'resident-old';
  else return { valid: false, reason: 'format' };

  const first = LETTER_VALUES[value[0]!]!;
  // Old resident numbers carry a letter in second place: its value's units digit stands in for it.
  const second = kind === 'resident-old' ? LETTER_VALUES[value[1]!]! % 10 : Number(value[1]);
  const digits = [second, ...value.slice(2, 9).split('').map(Number)];
  let sum = Math.floor(first / 10) + (first % 10) * 9;
  digits.forEach((d, i) => (sum += d * WEIGHTS[i]!));
  sum += Number(value[9]);
  return sum % 10 === 0 ? { valid: true, kind } : { valid: false, kind, reason: 'checksum' };
}

export function isValidNationalId(value: string): boolean {
  return checkNationalId(value).valid;
}

/** NHI card number (健保卡號): 12 digits printed bottom-left on the card front. A pattern, for schemas too. */
export const NHI_CARD_NUMBER_PATTERN = '^\\d{12}$';
const NHI_CARD_NUMBER = new RegExp(NHI_CARD_NUMBER_PATTERN);

export function isNhiCardNumber(value: string): boolean {
  return NHI_CARD_NUMBER.test(value);
}
