/**
 * One rule per field kind (issue 15, defect 3), used by the pages, the portal, mails and the batch
 * import alike. A rule takes what a person typed (or a cell of a file) and returns either the
 * normalised value or a closed error code from ./errors.ts. Browser-safe: no node:* imports.
 */
import { checkNationalId, isNhiCardNumber } from '../tw/nationalId.ts';
import { isRealIsoDate } from './calendar.ts';
import type { FieldErrorCode } from './errors.ts';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; code: FieldErrorCode };

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const fail = <T>(code: FieldErrorCode): FieldResult<T> => ({ ok: false, code });

/** Length limits, in Unicode code points after normalisation. */
export const TEXT_LIMITS = {
  /** Long enough for an indigenous name written in Han characters beside its romanisation. */
  personName: 60,
  /** RFC 5321: 254 for a whole address, 64 for the part before the @. */
  email: 254,
  emailLocalPart: 64,
  /** An insured unit code, as the portal's API and the filings take it. */
  unitCode: 32,
} as const;

/**
 * Refused anywhere in free text: C0/C1 controls (NUL, CR, LF, TAB, U+0085 …), format characters
 * (bidi embeddings and overrides U+202A–202E, isolates U+2066–2069, zero-width joiners, BOM) and the
 * line and paragraph separators U+2028/2029. They hide or reorder text, or split a mail header.
 */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** The same set for finding or escaping every occurrence (the portal's request hook, its audit text). */
export const HIDDEN_CHARACTERS = new RegExp(FORBIDDEN_IN_TEXT.source, 'gu');

/** Whether text holds a character that no text field accepts (controls, bidi and other format characters). */
export function hasHiddenCharacter(text: string): boolean {
  return FORBIDDEN_IN_TEXT.test(text);
}

/** Printable ASCII: no hidden character and NFC already (most cells of a batch: IDs, dates, amounts). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Common text handling: refuse hidden characters, NFC-normalise, trim, require, limit length. */
export function cleanText(raw: string, maxLength: number): FieldResult<string> {
  const ascii = PRINTABLE_ASCII.test(raw);
  if (!ascii && FORBIDDEN_IN_TEXT.test(raw)) return fail('ERR_FIELD_CONTROL_CHARACTER');
  const text = (ascii ? raw : raw.normalize('NFC')).trim();
  if (text === '') return fail('ERR_FIELD_REQUIRED');
  // Code points never outnumber UTF-16 units: count them only when the units are over the limit.
  if (text.length > maxLength && [...text].length > maxLength) return fail('ERR_FIELD_TOO_LONG');
  return ok(text);
}

/** Look-alikes of the middle dot that Taiwanese forms use in transliterated names; stored as U+00B7. */
const MIDDLE_DOT_LOOKALIKES = /[\u2027\u30FB\uFF65]/gu;
const HAN_NAME = /^\p{Script=Han}+(?:\u00B7\p{Script=Han}+)*$/u;
const LATIN_WORD = '\\p{Script=Latin}\\p{M}*(?:\\p{Script=Latin}\\p{M}*)*';
const LATIN_NAME = new RegExp(`^${LATIN_WORD}(?:[ '\\-\\u00B7]${LATIN_WORD})*$`, 'u');

/**
 * A person's name: Chinese (Han characters, a middle dot between parts of a transliterated name),
 * Latin (letters, with single spaces, hyphens, apostrophes or the middle dot used in Taiwanese
 * indigenous names), or a Han name followed by its Latin romanisation, as indigenous names may be
 * registered. Runs of spaces become one space.
 */
export function personName(raw: string): FieldResult<string> {
  const cleaned = cleanText(raw, TEXT_LIMITS.personName);
  if (!cleaned.ok) return cleaned;
  const name = cleaned.value.replace(MIDDLE_DOT_LOOKALIKES, '\u00B7').replace(/\s+/gu, ' ');
  if (HAN_NAME.test(name) || LATIN_NAME.test(name)) return ok(name);
  const space = name.indexOf(' ');
  if (space > 0 && HAN_NAME.test(name.slice(0, space)) && LATIN_NAME.test(name.slice(space + 1)))
    return ok(name);
  return fail('ERR_FIELD_NAME_CHARACTERS');
}

const EMAIL_LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const EMAIL_DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
/**
 * The one e-mail rule, as a pattern for JSON schemas (shared/portal/api.ts) and for email() below:
 * ASCII, a dot-atom local part of at most 64 characters, a domain with a top-level name.
 */
export const EMAIL_PATTERN = `^(?=[^@]{1,${TEXT_LIMITS.emailLocalPart}}@)${EMAIL_LOCAL}@${EMAIL_DOMAIN}$`;
const EMAIL = new RegExp(EMAIL_PATTERN, 'u');

/** An e-mail address (EMAIL_PATTERN, at most 254 characters); the domain is lower-cased. */
export function email(raw: string): FieldResult<string> {
  const cleaned = cleanText(raw, TEXT_LIMITS.email);
  if (!cleaned.ok) return cleaned;
  if (!EMAIL.test(cleaned.value)) return fail('ERR_FIELD_EMAIL');
  const at = cleaned.value.lastIndexOf('@');
  return ok(`${cleaned.value.slice(0, at)}@${cleaned.value.slice(at + 1).toLowerCase()}`);
}

/** An insured unit code; its format is the deployment's configured pattern (no public format exists). */
export function unitCode(raw: string, pattern: RegExp): FieldResult<string> {
  const cleaned = cleanText(raw, TEXT_LIMITS.unitCode);
  if (!cleaned.ok) return cleaned;
  return pattern.test(cleaned.value) ? ok(cleaned.value) : fail('ERR_FIELD_UNIT_CODE');
}

/** The last day the old-format resident certificate numbers (second character A–D) are valid. */
export const OLD_RESIDENT_NUMBER_LAST_DAY = '2030-12-31';

/**
 * A national ID or resident certificate number (old and new format), upper-cased. With `on` (an
 * ISO date), an old-format resident number is refused after its last valid day.
 */
export function idNumber(raw: string, on?: string): FieldResult<string> {
  const cleaned = cleanText(raw, 10);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_ID_FORMAT') : cleaned;
  const value = cleaned.value.toUpperCase();
  const check = checkNationalId(value);
  if (!check.valid)
    return fail(check.reason === 'checksum' ? 'ERR_FIELD_ID_CHECKSUM' : 'ERR_FIELD_ID_FORMAT');
  if (check.kind === 'resident-old' && on !== undefined && on > OLD_RESIDENT_NUMBER_LAST_DAY) {
    return fail('ERR_FIELD_ID_OLD_RESIDENT_EXPIRED');
  }
  return ok(value);
}

export function nhiCardNumber(raw: string): FieldResult<string> {
  const cleaned = cleanText(raw, 12);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_NHI_CARD_NUMBER') : cleaned;
  return isNhiCardNumber(cleaned.value) ? ok(cleaned.value) : fail('ERR_FIELD_NHI_CARD_NUMBER');
}

/** Gregorian years a filing date may fall in; outside is a typing slip, not a date. */
const YEAR_RANGE = { min: 1900, max: 2199 } as const;

function isoFromParts(year: number, month: number, day: number): FieldResult<string> {
  if (year < YEAR_RANGE.min || year > YEAR_RANGE.max) return fail('ERR_FIELD_DATE_FORMAT');
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isRealIsoDate(iso) ? ok(iso) : fail('ERR_FIELD_DATE_NOT_REAL');
}

/**
 * A calendar date, normalised to ISO YYYY-MM-DD. Accepted as written in Taiwan: 2026-12-02,
 * 2026/12/02, ROC 115/12/02 (1–3 digit year) or ROC 1151202 (YYYMMDD, as on NHI cards).
 */
export function date(raw: string): FieldResult<string> {
  const cleaned = cleanText(raw, 10);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_DATE_FORMAT') : cleaned;
  const text = cleaned.value;
  // Already ISO and real (what the checks see again and again): the same answer without re-parsing.
  if (isRealIsoDate(text)) {
    const year = Number(text.slice(0, 4));
    return year < YEAR_RANGE.min || year > YEAR_RANGE.max ? fail('ERR_FIELD_DATE_FORMAT') : ok(text);
  }
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,3})\/(\d{1,2})\/(\d{1,2})$/.exec(text) ?? /^(\d{3})(\d{2})(\d{2})$/.exec(text);
  if (m && Number(m[1]) >= 1) return isoFromParts(Number(m[1]) + 1911, Number(m[2]), Number(m[3]));
  return fail('ERR_FIELD_DATE_FORMAT');
}

/** A month, normalised to YYYY-MM: 2026-12, 2026/12 or ROC 115/12. */
export function month(raw: string): FieldResult<string> {
  const cleaned = cleanText(raw, 7);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_MONTH') : cleaned;
  const m = /^(\d{4})[-/](\d{1,2})$/.exec(cleaned.value) ?? /^(\d{1,3})\/(\d{1,2})$/.exec(cleaned.value);
  if (!m) return fail('ERR_FIELD_MONTH');
  const year = m[1]!.length === 4 ? Number(m[1]) : Number(m[1]) + 1911;
  const mo = Number(m[2]);
  if (year < YEAR_RANGE.min || year > YEAR_RANGE.max || mo < 1 || mo > 12) return fail('ERR_FIELD_MONTH');
  return ok(`${year}-${String(mo).padStart(2, '0')}`);
}

/** The largest amount a field accepts (far above any grade; it stops overflow, not policy). */
export const MAX_AMOUNT = 99_999_999;

/** A whole amount in NT$, written 29500 or 29,500 (or given as a number). */
export function amount(raw: string | number): FieldResult<number> {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw >= 0 && raw <= MAX_AMOUNT ? ok(raw) : fail('ERR_FIELD_AMOUNT');
  }
  const cleaned = cleanText(raw, 16);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_AMOUNT') : cleaned;
  if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)$/.test(cleaned.value)) return fail('ERR_FIELD_AMOUNT');
  return amount(Number(cleaned.value.replaceAll(',', '')));
}

/** A whole percentage 0–100, written 6 or 6% (or given as a number). */
export function percent(raw: string | number): FieldResult<number> {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw >= 0 && raw <= 100 ? ok(raw) : fail('ERR_FIELD_PERCENT');
  }
  const cleaned = cleanText(raw, 4);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_PERCENT') : cleaned;
  const m = /^(\d{1,3})%?$/.exec(cleaned.value);
  return m ? percent(Number(m[1])) : fail('ERR_FIELD_PERCENT');
}

/** One of a closed list of codes (reason codes, relationships), compared exactly after trimming. */
export function code<C extends string>(raw: string, allowed: readonly C[]): FieldResult<C> {
  const cleaned = cleanText(raw, 16);
  if (!cleaned.ok) return cleaned.code === 'ERR_FIELD_TOO_LONG' ? fail('ERR_FIELD_CODE_UNKNOWN') : cleaned;
  const found = allowed.find((c) => c === cleaned.value.toUpperCase());
  return found === undefined ? fail('ERR_FIELD_CODE_UNKNOWN') : ok(found);
}
