/**
 * The closed list of field-rule error codes (one catalogue for shared/fields). Each message names
 * the field through the `{field}` placeholder (filled with the field's label by fieldMessage) and
 * says what to do. zh-TW first, English second. Codes are never reused; add new ones at the end.
 */
import type { LocalizedText } from '../protocol/errors.ts';

export const FIELD_ERROR_CODES = [
  'ERR_FIELD_REQUIRED',
  'ERR_FIELD_TOO_LONG',
  'ERR_FIELD_CONTROL_CHARACTER',
  'ERR_FIELD_NAME_CHARACTERS',
  'ERR_FIELD_EMAIL',
  'ERR_FIELD_UNIT_CODE',
  'ERR_FIELD_ID_FORMAT',
  'ERR_FIELD_ID_CHECKSUM',
  'ERR_FIELD_ID_OLD_RESIDENT_EXPIRED',
  'ERR_FIELD_NHI_CARD_NUMBER',
  'ERR_FIELD_DATE_FORMAT',
  'ERR_FIELD_DATE_NOT_REAL',
  'ERR_FIELD_MONTH',
  'ERR_FIELD_AMOUNT',
  'ERR_FIELD_PERCENT',
  'ERR_FIELD_CODE_UNKNOWN',
  'ERR_FIELD_NOT_NORMALISED',
] as const;

export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export const FIELD_ERROR_MESSAGES: Readonly<Record<FieldErrorCode, LocalizedText>> = {
  ERR_FIELD_REQUIRED: {
    'zh-TW': '「{field}」必須填寫，請填入後再送出。',
    en: '"{field}" is required. Please fill it in and send again.',
  },
  ERR_FIELD_TOO_LONG: {
    'zh-TW': '「{field}」太長，請縮短後再送出。',
    en: '"{field}" is too long. Please shorten it and send again.',
  },
  ERR_FIELD_CONTROL_CHARACTER: {
    'zh-TW': '「{field}」含有換行或看不見的控制字元，請清除後重新輸入（勿從其他文件直接貼上）。',
    en: '"{field}" contains a line break or an invisible control character. Please clear it and type it again (do not paste it from another document).',
  },
  ERR_FIELD_NAME_CHARACTERS: {
    'zh-TW':
      '「{field}」只能使用中文字，或英文字母加空格、連字號、撇號及間隔號「·」，請依身分證件上的寫法修正。',
    en: '"{field}" may contain only Chinese characters, or Latin letters with spaces, hyphens, apostrophes and the middle dot "·". Please write it as on the identity document.',
  },
  ERR_FIELD_EMAIL: {
    'zh-TW': '「{field}」不是有效的電子郵件地址（例如 name@example.com.tw），請再核對一次。',
    en: '"{field}" is not a valid e-mail address (for example name@example.com.tw). Please check it again.',
  },
  ERR_FIELD_UNIT_CODE: {
    'zh-TW': '「{field}」格式不正確，請依健保署核發的投保單位代號填寫。',
    en: '"{field}" is not in the right form. Please enter the insured unit code issued by the NHIA.',
  },
  ERR_FIELD_ID_FORMAT: {
    'zh-TW': '「{field}」格式不正確：應為 1 個英文字母加 9 位數字（例如 A123456789），請再核對一次。',
    en: '"{field}" is not in the right form: one letter followed by 9 digits (for example A123456789). Please check it again.',
  },
  ERR_FIELD_ID_CHECKSUM: {
    'zh-TW': '「{field}」的檢查碼不正確，可能有一個字打錯，請對照證件再核對一次。',
    en: 'The check digit of "{field}" is wrong; a character may be mistyped. Please compare it with the document again.',
  },
  ERR_FIELD_ID_OLD_RESIDENT_EXPIRED: {
    'zh-TW': '「{field}」是舊式居留證號，已於 2030 年 12 月 31 日後停用，請改填新式居留證號。',
    en: '"{field}" is an old-format resident certificate number, no longer valid after 31 December 2030. Please enter the new-format number.',
  },
  ERR_FIELD_NHI_CARD_NUMBER: {
    'zh-TW': '「{field}」應為健保卡正面左下角的 12 位數字，請再核對一次。',
    en: '"{field}" must be the 12 digits printed bottom-left on the front of the NHI card. Please check it again.',
  },
  ERR_FIELD_DATE_FORMAT: {
    'zh-TW': '「{field}」日期格式不正確，請寫成 115/12/02 或 2026-12-02。',
    en: '"{field}" is not a date in a known form. Please write it as 115/12/02 or 2026-12-02.',
  },
  ERR_FIELD_DATE_NOT_REAL: {
    'zh-TW': '「{field}」沒有這一天（例如 2 月 30 日），請再核對一次。',
    en: '"{field}" is a day that does not exist (such as 30 February). Please check it again.',
  },
  ERR_FIELD_MONTH: {
    'zh-TW': '「{field}」月份格式不正確，請寫成 115/12 或 2026-12。',
    en: '"{field}" is not a month in a known form. Please write it as 115/12 or 2026-12.',
  },
  ERR_FIELD_AMOUNT: {
    'zh-TW': '「{field}」應為新臺幣整數金額（例如 29500 或 29,500），請再核對一次。',
    en: '"{field}" must be a whole amount in New Taiwan dollars (for example 29500 or 29,500). Please check it again.',
  },
  ERR_FIELD_PERCENT: {
    'zh-TW': '「{field}」應為 0 到 100 之間的整數百分比（例如 6），請再核對一次。',
    en: '"{field}" must be a whole percentage between 0 and 100 (for example 6). Please check it again.',
  },
  ERR_FIELD_CODE_UNKNOWN: {
    'zh-TW': '「{field}」不是清單中的代碼，請從清單中選擇。',
    en: '"{field}" is not one of the listed codes. Please choose one from the list.',
  },
  ERR_FIELD_NOT_NORMALISED: {
    'zh-TW': '「{field}」含有多餘的空白或非標準寫法的字元，請重新輸入。',
    en: '"{field}" has extra spaces or characters in a non-standard form. Please type it again.',
  },
};

export type Language = keyof LocalizedText;

/** The message for a code with the field's label put in, in the clerk's language. */
export function fillFieldLabel(template: string, label: string): string {
  return template.replaceAll('{field}', label);
}

export function fieldMessage(code: FieldErrorCode, label: LocalizedText, language: Language): string {
  return fillFieldLabel(FIELD_ERROR_MESSAGES[code][language], label[language]);
}
