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
const CODE_A = 0x41;
const CODE_Z = 0x5a;
const CODE_0 = 0x30;

const isDigitCode = (c: number) => c >= CODE_0 && c <= CODE_0 + 9;

/** The kind a second character makes: 1–2 citizen, 8–9 new resident, A–D old resident. */
function kindOf(second: number): IdKind | undefined {
  if (second === CODE_0 + 1 || second === CODE_0 + 2) return 'citizen';
  if (second === CODE_0 + 8 || second === CODE_0 + 9) return 'resident-new';
  if (second >= CODE_A && second <= CODE_A + 3) return 'resident-old';
  return undefined;
}

/**
 * Checks the format and checksum of a national ID or resident number (upper-case expected): a
 * letter A–Z, the kind's second character, eight digits. Read by character codes: every filing's
 * ID numbers pass here, 5,000 rows at a time in a batch.
 */
export function checkNationalId(value: string): IdCheck {
  const head = value.charCodeAt(0);
  const kind =
    value.length === 10 && head >= CODE_A && head <= CODE_Z ? kindOf(value.charCodeAt(1)) : undefined;
  if (kind === undefined) return { valid: false, reason: 'format' };
  for (let i = 2; i < 10; i++)
    if (!isDigitCode(value.charCodeAt(i))) return { valid: false, reason: 'format' };

  const first = LETTER_VALUES[value[0]!]!;
  // Old resident numbers carry a letter in second place: its value's units digit stands in for it.
  const second = kind === 'resident-old' ? LETTER_VALUES[value[1]!]! % 10 : value.charCodeAt(1) - CODE_0;
  let sum = Math.floor(first / 10) + (first % 10) * 9 + second * WEIGHTS[0];
  for (let i = 2; i < 9; i++) sum += (value.charCodeAt(i) - CODE_0) * WEIGHTS[i - 1]!;
  sum += value.charCodeAt(9) - CODE_0;
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
