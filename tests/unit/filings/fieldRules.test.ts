/** Field rules (issue 15 defect 3): each rule's normalised value and every refusal it can give. */
import { describe, expect, it } from 'vitest';
import {
  FIELD_ERROR_CODES,
  FIELD_ERROR_MESSAGES,
  fieldMessage,
  type FieldErrorCode,
} from '../../../shared/fields/errors.ts';
import * as rules from '../../../shared/fields/rules.ts';
import type { FieldResult } from '../../../shared/fields/rules.ts';

const refused = (result: FieldResult<unknown>): FieldErrorCode | 'accepted' =>
  result.ok ? 'accepted' : result.code;
const value = <T>(result: FieldResult<T>): T => {
  if (!result.ok) throw new Error(`refused with ${result.code}`);
  return result.value;
};

describe('personName', () => {
  it.each([
    ['王小明', '王小明'],
    ['  王小明 ', '王小明'],
    ['\u3000陳大文\u3000', '陳大文'], // ideographic spaces trimmed
    ['Pasuya Poiconx', 'Pasuya Poiconx'],
    ['Pasuya   Poiconx', 'Pasuya Poiconx'], // runs of spaces become one
    ['Kolas\u00B7Yotaka', 'Kolas·Yotaka'], // indigenous name with the middle dot
    ['Kolas\u2027Yotaka', 'Kolas·Yotaka'], // hyphenation point stored as U+00B7
    ['瓦歷斯\u30FB諾幹', '瓦歷斯·諾幹'], // katakana middle dot stored as U+00B7
    ["O'Brien-Smith", "O'Brien-Smith"],
    ['Jose\u0301', 'José'], // NFD input is stored NFC
    ['林𠀋', '林𠀋'], // a Han character outside the BMP
    ['馬躍 Mayaw Biho', '馬躍 Mayaw Biho'], // Han name beside its romanisation
  ])('accepts %j as %j', (input, expected) => {
    expect(value(rules.personName(input))).toBe(expected);
  });

  it.each([
    ['blank', '   ', 'ERR_FIELD_REQUIRED'],
    ['empty', '', 'ERR_FIELD_REQUIRED'],
    ['NUL', '王\u0000小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['CR LF header injection', '王小明\r\nBcc: x@evil.example', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['LF alone', '王小明\n', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['TAB', '王\t小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['U+0085 next line', '王小明\u0085', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['U+202E right-to-left override', '王小明\u202E', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['U+202A left-to-right embedding', '\u202A王小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['U+2066 left-to-right isolate', '王\u2066小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['U+2069 pop directional isolate', '王小明\u2069', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['zero-width joiner', '王\u200D小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['line separator U+2028', '王\u2028小明', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['digits', '王小明2', 'ERR_FIELD_NAME_CHARACTERS'],
    ['HTML', '<b>王</b>', 'ERR_FIELD_NAME_CHARACTERS'],
    ['leading middle dot', '·Yotaka', 'ERR_FIELD_NAME_CHARACTERS'],
    ['doubled hyphen', 'Anne--Marie', 'ERR_FIELD_NAME_CHARACTERS'],
    ['Latin then Han', 'Mayaw 馬躍', 'ERR_FIELD_NAME_CHARACTERS'],
    ['Han mixed with Latin in one word', '王Ming', 'ERR_FIELD_NAME_CHARACTERS'],
    ['Cyrillic look-alike', 'Аnna', 'ERR_FIELD_NAME_CHARACTERS'],
    ['61 characters', 'a'.repeat(61), 'ERR_FIELD_TOO_LONG'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.personName(input))).toBe(code);
  });

  it('accepts exactly the length limit', () => {
    expect(refused(rules.personName('a'.repeat(rules.TEXT_LIMITS.personName)))).toBe('accepted');
  });
});

describe('email', () => {
  it.each([
    ['clerk@Example.COM.tw', 'clerk@example.com.tw'],
    [' a.b+tag@mail.example.org ', 'a.b+tag@mail.example.org'],
  ])('accepts %j as %j', (input, expected) => {
    expect(value(rules.email(input))).toBe(expected);
  });

  it.each([
    ['no @', 'clerk.example.com', 'ERR_FIELD_EMAIL'],
    ['nothing before @', '@example.com', 'ERR_FIELD_EMAIL'],
    ['no top-level domain', 'clerk@localhost', 'ERR_FIELD_EMAIL'],
    ['double dot', 'a..b@example.com', 'ERR_FIELD_EMAIL'],
    ['space inside', 'a b@example.com', 'ERR_FIELD_EMAIL'],
    ['two @', 'a@b@example.com', 'ERR_FIELD_EMAIL'],
    ['label starting with a hyphen', 'a@-x.example.com', 'ERR_FIELD_EMAIL'],
    ['header injection', 'a@example.com\r\nBcc: x@evil.example', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['blank', ' ', 'ERR_FIELD_REQUIRED'],
    ['local part over 64', `${'a'.repeat(65)}@example.com`, 'ERR_FIELD_EMAIL'],
    ['over 254 in all', `a@${'b'.repeat(250)}.tw`, 'ERR_FIELD_TOO_LONG'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.email(input))).toBe(code);
  });
});

describe('unitCode', () => {
  const nineDigits = /^\d{9}$/;
  it('accepts a code matching the configured pattern', () => {
    expect(value(rules.unitCode(' 012345678 ', nineDigits))).toBe('012345678');
  });
  it.each([
    ['too short', '01234567', 'ERR_FIELD_UNIT_CODE'],
    ['letters', '01234567X', 'ERR_FIELD_UNIT_CODE'],
    ['NUL', '\u0000', 'ERR_FIELD_CONTROL_CHARACTER'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.unitCode(input, nineDigits))).toBe(code);
  });
  it('follows another pattern when configured so', () => {
    expect(refused(rules.unitCode('AB1234', /^[A-Z]{2}\d{4}$/))).toBe('accepted');
  });
});

describe('idNumber', () => {
  it.each([
    ['A123456789', 'A123456789'], // citizen
    [' a123456789 ', 'A123456789'], // trimmed, upper-cased
    ['A800000014', 'A800000014'], // new-format resident number, male
    ['A900000016', 'A900000016'], // new-format resident number, female
    ['AC00000003', 'AC00000003'], // old-format resident number
  ])('accepts %j as %j', (input, expected) => {
    expect(value(rules.idNumber(input))).toBe(expected);
  });

  it.each([
    ['wrong check digit', 'A123456788', 'ERR_FIELD_ID_CHECKSUM'],
    ['new resident wrong check digit', 'A800000015', 'ERR_FIELD_ID_CHECKSUM'],
    ['second digit 3', 'A323456789', 'ERR_FIELD_ID_FORMAT'],
    ['too short', 'A12345678', 'ERR_FIELD_ID_FORMAT'],
    ['too long', 'A1234567890', 'ERR_FIELD_ID_FORMAT'],
    ['full-width digits', 'Ａ１２３４５６７８９', 'ERR_FIELD_ID_FORMAT'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
    ['NUL', 'A12345678\u0000', 'ERR_FIELD_CONTROL_CHARACTER'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.idNumber(input))).toBe(code);
  });

  it('accepts an old-format resident number through 2030-12-31 and refuses it from 2031-01-01', () => {
    expect(refused(rules.idNumber('AC00000003', '2030-12-31'))).toBe('accepted');
    expect(refused(rules.idNumber('AC00000003', '2031-01-01'))).toBe('ERR_FIELD_ID_OLD_RESIDENT_EXPIRED');
    expect(refused(rules.idNumber('A800000014', '2031-01-01'))).toBe('accepted');
  });
});

describe('nhiCardNumber', () => {
  it('accepts 12 digits', () => {
    expect(value(rules.nhiCardNumber(' 000012345678 '))).toBe('000012345678');
  });
  it.each([
    ['11 digits', '00001234567', 'ERR_FIELD_NHI_CARD_NUMBER'],
    ['13 digits', '0000123456789', 'ERR_FIELD_NHI_CARD_NUMBER'],
    ['a letter', '00001234567X', 'ERR_FIELD_NHI_CARD_NUMBER'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.nhiCardNumber(input))).toBe(code);
  });
});

describe('date', () => {
  it.each([
    ['2026-12-02', '2026-12-02'],
    ['2026/12/2', '2026-12-02'],
    ['115/12/02', '2026-12-02'], // ROC year
    ['1151202', '2026-12-02'], // ROC YYYMMDD as on NHI cards
    ['89/2/29', '2000-02-29'], // ROC two-digit year, leap day of 2000
    ['2028-02-29', '2028-02-29'], // leap day
    ['2026-01-31', '2026-01-31'], // month end
  ])('accepts %j as %j', (input, expected) => {
    expect(value(rules.date(input))).toBe(expected);
  });

  it.each([
    ['30 February', '2026-02-30', 'ERR_FIELD_DATE_NOT_REAL'],
    ['29 February of a common year', '2026-02-29', 'ERR_FIELD_DATE_NOT_REAL'],
    ['29 February 2100 (not leap)', '2100-02-29', 'ERR_FIELD_DATE_NOT_REAL'],
    ['31 April', '115/04/31', 'ERR_FIELD_DATE_NOT_REAL'],
    ['month 13', '2026-13-01', 'ERR_FIELD_DATE_NOT_REAL'],
    ['day 0', '2026-01-00', 'ERR_FIELD_DATE_NOT_REAL'],
    ['ROC year 0', '0/01/01', 'ERR_FIELD_DATE_FORMAT'],
    ['day-first', '02-12-2026', 'ERR_FIELD_DATE_FORMAT'],
    ['words', 'yesterday', 'ERR_FIELD_DATE_FORMAT'],
    ['year 2262', '2262-01-01', 'ERR_FIELD_DATE_FORMAT'],
    ['with a time', '2026-12-02T00:00', 'ERR_FIELD_DATE_FORMAT'],
    ['blank', ' ', 'ERR_FIELD_REQUIRED'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.date(input))).toBe(code);
  });
});

describe('month', () => {
  it.each([
    ['2026-12', '2026-12'],
    ['2026/1', '2026-01'],
    ['115/12', '2026-12'],
  ])('accepts %j as %j', (input, expected) => {
    expect(value(rules.month(input))).toBe(expected);
  });
  it.each([
    ['month 13', '2026-13', 'ERR_FIELD_MONTH'],
    ['month 0', '2026-00', 'ERR_FIELD_MONTH'],
    ['a full date', '2026-12-01', 'ERR_FIELD_MONTH'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.month(input))).toBe(code);
  });
});

describe('amount', () => {
  it.each([
    ['29500', 29500],
    ['29,500', 29500],
    ['313,000', 313000],
    [45800, 45800],
  ] as const)('accepts %j as %j', (input, expected) => {
    expect(value(rules.amount(input))).toBe(expected);
  });
  it.each([
    ['decimal', '29500.5', 'ERR_FIELD_AMOUNT'],
    ['misplaced comma', '2,9500', 'ERR_FIELD_AMOUNT'],
    ['negative', '-1', 'ERR_FIELD_AMOUNT'],
    ['currency sign', 'NT$29500', 'ERR_FIELD_AMOUNT'],
    ['too large', '100000000', 'ERR_FIELD_AMOUNT'],
    ['non-integer number', 1.5, 'ERR_FIELD_AMOUNT'],
    ['NaN', Number.NaN, 'ERR_FIELD_AMOUNT'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
  ] as const)('refuses %s', (_what, input, code) => {
    expect(refused(rules.amount(input))).toBe(code);
  });
});

describe('percent', () => {
  it.each([
    ['6', 6],
    ['6%', 6],
    ['0', 0],
  ] as const)('accepts %j as %j', (input, expected) => {
    expect(value(rules.percent(input))).toBe(expected);
  });
  it.each([
    ['decimal', '6.5', 'ERR_FIELD_PERCENT'],
    ['over 100', '101', 'ERR_FIELD_PERCENT'],
    ['negative number', -1, 'ERR_FIELD_PERCENT'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
  ] as const)('refuses %s', (_what, input, code) => {
    expect(refused(rules.percent(input))).toBe(code);
  });
});

describe('code', () => {
  const list = ['W01', 'W02'] as const;
  it('accepts a listed code, any case', () => {
    expect(value(rules.code(' w01 ', list))).toBe('W01');
  });
  it.each([
    ['unlisted', 'W99', 'ERR_FIELD_CODE_UNKNOWN'],
    ['blank', '', 'ERR_FIELD_REQUIRED'],
    ['overlong', 'W'.repeat(40), 'ERR_FIELD_CODE_UNKNOWN'],
  ])('refuses %s', (_what, input, code) => {
    expect(refused(rules.code(input, list))).toBe(code);
  });
});

describe('field error catalogue', () => {
  it('has a zh-TW and an English message naming the field for every code', () => {
    for (const code of FIELD_ERROR_CODES) {
      const m = FIELD_ERROR_MESSAGES[code];
      expect(m['zh-TW']).toMatch(/[\u4E00-\u9FFF]/);
      expect(m.en).toMatch(/[A-Za-z]/);
      expect(m['zh-TW']).toContain('{field}');
      expect(m.en).toContain('{field}');
    }
  });

  it('puts the field label into the message', () => {
    const label = { 'zh-TW': '出生日期', en: 'Birth date' };
    expect(fieldMessage('ERR_FIELD_DATE_NOT_REAL', label, 'zh-TW')).toContain('「出生日期」');
    expect(fieldMessage('ERR_FIELD_DATE_NOT_REAL', label, 'en')).toContain('"Birth date"');
  });
});
