/**
 * The closed list of filing-check and batch codes (one catalogue for shared/filings). A message
 * names its field through `{field}` (FIELD_LABELS) and says what to do; zh-TW first. Warnings
 * (severity in ./checks.ts) say why the filing is flagged though it is still accepted. Codes are
 * never reused for another meaning; add new ones at the end.
 */
import type { LocalizedText } from '../protocol/errors.ts';
import {
  FIELD_ERROR_MESSAGES,
  fillFieldLabel,
  type FieldErrorCode,
  type Language,
} from '../fields/errors.ts';
import { FIELD_LABELS, type FilingField } from './labels.ts';

export const FILING_CHECK_CODES = [
  'ERR_CHECK_BIRTH_IN_FUTURE',
  'ERR_CHECK_BIRTH_NOT_BEFORE_DATE',
  'ERR_CHECK_DATE_TOO_FAR_AHEAD',
  'ERR_CHECK_LATE_FILING',
  'ERR_CHECK_NO_TABLE_FOR_DATE',
  'ERR_CHECK_AMOUNT_BELOW_MINIMUM',
  'ERR_CHECK_AMOUNT_NOT_A_GRADE',
  'ERR_CHECK_LABOUR_SALARY_NOT_A_GRADE',
  'ERR_CHECK_LABOUR_SALARY_PART_TIME',
  'ERR_CHECK_LABOUR_FIELDS_NOT_JOINT',
  'ERR_CHECK_EMPLOYER_PENSION_TOO_LOW',
  'ERR_CHECK_EMPLOYEE_PENSION_TOO_HIGH',
  'ERR_CHECK_EFFECTIVE_MONTH',
  'ERR_CHECK_PAY_CHANGE_IN_FUTURE',
  'ERR_CHECK_ADJUSTMENT_LATE',
  'ERR_CHECK_ALREADY_INSURED',
  'ERR_CHECK_NOT_INSURED',
  'ERR_CHECK_IS_DEPENDANT_HERE',
  'ERR_CHECK_IS_INSURED_HERE',
  'ERR_CHECK_INSURED_PERSON_NOT_HERE',
  'ERR_CHECK_ALREADY_DEPENDANT',
  'ERR_CHECK_NOT_DEPENDANT_OF',
  'ERR_CHECK_DEPENDANT_IS_INSURED_PERSON',
  'ERR_CHECK_DEPENDANTS_REMAIN',
  'ERR_CHECK_CORRECTION_EMPTY',
  'ERR_CHECK_CORRECTION_UNCHANGED',
  'ERR_CHECK_NEW_ID_IN_USE',
  'ERR_BATCH_EMPTY',
  'ERR_BATCH_TOO_MANY_ROWS',
  'ERR_BATCH_MISSING_COLUMN',
  'ERR_BATCH_UNKNOWN_COLUMN',
  'ERR_BATCH_DUPLICATE_COLUMN',
  'ERR_BATCH_EXTRA_CELLS',
  'ERR_BATCH_FIELD_NOT_FOR_KIND',
  'ERR_BATCH_DUPLICATE_ROW',
  'ERR_BATCH_CONFLICTING_ROWS',
  'ERR_BATCH_FORMULA_CELL',
  'ERR_BATCH_CSV_MALFORMED',
] as const;

export type FilingCheckCode = (typeof FILING_CHECK_CODES)[number];

/** Every code a filing report may carry: the field rules' and the checks'. */
export type FilingIssueCode = FieldErrorCode | FilingCheckCode;

export const FILING_CHECK_MESSAGES: Readonly<Record<FilingCheckCode, LocalizedText>> = {
  ERR_CHECK_BIRTH_IN_FUTURE: {
    'zh-TW': '「{field}」晚於今天，請核對出生日期。',
    en: '"{field}" is after today. Please check the birth date.',
  },
  ERR_CHECK_BIRTH_NOT_BEFORE_DATE: {
    'zh-TW': '「{field}」必須早於加保或異動日期，請核對兩個日期。',
    en: '"{field}" must be before the enrolment or change date. Please check both dates.',
  },
  ERR_CHECK_DATE_TOO_FAR_AHEAD: {
    'zh-TW': '「{field}」距今超過 30 天，系統不受理這麼早的預先申報；請確認年份，或於日期前 30 天內再申報。',
    en: '"{field}" is more than 30 days ahead; filings that early are not accepted. Please check the year, or file within 30 days of the date.',
  },
  ERR_CHECK_LATE_FILING: {
    'zh-TW': '「{field}」已超過 3 日內申報的期限（全民健康保險法第 15 條）。仍會受理，但會註記為逾期申報。',
    en: '"{field}" is past the 3-day filing deadline (NHI Act art. 15). The filing is still accepted but marked as late.',
  },
  ERR_CHECK_NO_TABLE_FOR_DATE: {
    'zh-TW': '「{field}」早於系統所載的投保金額分級表，無法核對級距；請以紙本向健保署申報。',
    en: '"{field}" is before the earliest grade table the system holds, so the grade cannot be checked. Please file on paper with the NHIA.',
  },
  ERR_CHECK_AMOUNT_BELOW_MINIMUM: {
    'zh-TW': '「{field}」低於該日適用分級表的最低級距（基本工資），請改填最低級距以上的金額。',
    en: '"{field}" is below the lowest grade (the minimum wage) in force on that date. Please enter the lowest grade or more.',
  },
  ERR_CHECK_AMOUNT_NOT_A_GRADE: {
    'zh-TW': '「{field}」不是該日適用分級表上的級距，請依分級表選擇對應的金額。',
    en: '"{field}" is not a grade of the table in force on that date. Please choose the matching amount from the grade table.',
  },
  ERR_CHECK_LABOUR_SALARY_NOT_A_GRADE: {
    'zh-TW': '「{field}」不是該日適用的勞工保險投保薪資分級表上的級距，請依分級表選擇。',
    en: '"{field}" is not a grade of the labour insurance salary table in force on that date. Please choose one from the table.',
  },
  ERR_CHECK_LABOUR_SALARY_PART_TIME: {
    'zh-TW': '「{field}」是部分工時等特定對象才適用的級距。仍會受理，請確認此人符合資格。',
    en: '"{field}" is a grade only for part-time workers and a few other groups. The filing is accepted; please make sure the person qualifies.',
  },
  ERR_CHECK_LABOUR_FIELDS_NOT_JOINT: {
    'zh-TW': '只申報健保時不需填「{field}」；若要勞健保一併申報，請將投保類別選為勞健保。',
    en: '"{field}" is not used for a health-insurance-only filing. To file labour and health insurance together, choose the joint scheme.',
  },
  ERR_CHECK_EMPLOYER_PENSION_TOO_LOW: {
    'zh-TW': '「{field}」不得低於 6%（勞工退休金條例第 14 條），請修正。',
    en: '"{field}" may not be below 6% (Labor Pension Act art. 14). Please correct it.',
  },
  ERR_CHECK_EMPLOYEE_PENSION_TOO_HIGH: {
    'zh-TW': '「{field}」最高為 6%，請填 0 到 6 之間的整數。',
    en: '"{field}" is at most 6%. Please enter a whole number from 0 to 6.',
  },
  ERR_CHECK_EFFECTIVE_MONTH: {
    'zh-TW':
      '「{field}」應為申報當月的下一個月（調整自通知的次月 1 日起生效，全民健康保險法第 20 條），請修正。',
    en: '"{field}" must be the month after the filing month (a change takes effect on the 1st of the month after notification, NHI Act art. 20). Please correct it.',
  },
  ERR_CHECK_PAY_CHANGE_IN_FUTURE: {
    'zh-TW': '「{field}」晚於本月，請待薪資實際調整後再申報。',
    en: '"{field}" is after this month. Please file once the pay has actually changed.',
  },
  ERR_CHECK_ADJUSTMENT_LATE: {
    'zh-TW':
      '「{field}」的調整已超過通知期限（2 至 7 月調薪應於 8 月底前、8 至 1 月調薪應於 2 月底前通知）。仍會受理，但會註記為逾期申報。',
    en: 'The change in "{field}" is past its notification deadline (pay changed February–July: end of August; August–January: end of February). The filing is accepted but marked as late.',
  },
  ERR_CHECK_ALREADY_INSURED: {
    'zh-TW': '「{field}」這位已在本單位投保，不能重複加保；若要調整投保金額，請改用投保金額調整。',
    en: 'The person with this "{field}" is already insured with this unit. To change the insured amount, file an insured amount change instead.',
  },
  ERR_CHECK_NOT_INSURED: {
    'zh-TW': '「{field}」這位目前未在本單位投保，請核對身分證號。',
    en: 'The person with this "{field}" is not insured with this unit now. Please check the ID number.',
  },
  ERR_CHECK_IS_DEPENDANT_HERE: {
    'zh-TW': '「{field}」這位目前是本單位的眷屬，請先辦理眷屬退保再以本人身分加保。',
    en: 'The person with this "{field}" is a dependant in this unit now. Please withdraw them as a dependant first, then enrol them in their own right.',
  },
  ERR_CHECK_IS_INSURED_HERE: {
    'zh-TW': '「{field}」這位已是本單位的被保險人，不能同時以眷屬身分加保。',
    en: 'The person with this "{field}" is insured with this unit and cannot also be enrolled as a dependant.',
  },
  ERR_CHECK_INSURED_PERSON_NOT_HERE: {
    'zh-TW': '「{field}」不是本單位的被保險人，眷屬須依附本單位的被保險人，請核對身分證號。',
    en: '"{field}" is not insured with this unit; a dependant must belong to a person insured here. Please check the ID number.',
  },
  ERR_CHECK_ALREADY_DEPENDANT: {
    'zh-TW': '「{field}」這位已是本單位的眷屬，不能重複加保。',
    en: 'The person with this "{field}" is already a dependant in this unit and cannot be enrolled again.',
  },
  ERR_CHECK_NOT_DEPENDANT_OF: {
    'zh-TW': '「{field}」這位目前不是該被保險人的眷屬，請核對兩個身分證號。',
    en: 'The person with this "{field}" is not a dependant of that insured person now. Please check both ID numbers.',
  },
  ERR_CHECK_DEPENDANT_IS_INSURED_PERSON: {
    'zh-TW': '「{field}」與被保險人身分證號相同，本人不能是自己的眷屬，請修正。',
    en: '"{field}" is the same as the insured person\'s ID number; nobody is their own dependant. Please correct it.',
  },
  ERR_CHECK_DEPENDANTS_REMAIN: {
    'zh-TW': '「{field}」這位在本單位還有眷屬。仍會受理，請一併辦理眷屬退保或轉出。',
    en: 'The person with this "{field}" still has dependants in this unit. The filing is accepted; please also withdraw or move the dependants.',
  },
  ERR_CHECK_CORRECTION_EMPTY: {
    'zh-TW': '資料變更須填「新身分證號」或「新姓名」至少一項，請填入要更正的資料。',
    en: 'A correction needs a new ID number or a new name. Please fill in what is to be corrected.',
  },
  ERR_CHECK_CORRECTION_UNCHANGED: {
    'zh-TW': '「{field}」與現有資料相同，不需變更；請填入更正後的資料。',
    en: '"{field}" is the same as the data on record. Please enter the corrected data.',
  },
  ERR_CHECK_NEW_ID_IN_USE: {
    'zh-TW': '「{field}」已屬於本單位的另一位被保險人或眷屬，請核對身分證號。',
    en: '"{field}" already belongs to another insured person or dependant in this unit. Please check the ID number.',
  },
  ERR_BATCH_EMPTY: {
    'zh-TW': '檔案中沒有資料列，請在標題列下方填入要申報的資料。',
    en: 'The file has no data rows. Please add the filings below the header row.',
  },
  ERR_BATCH_TOO_MANY_ROWS: {
    'zh-TW': '檔案超過 5,000 筆資料，請分成幾個檔案上傳。',
    en: 'The file has more than 5,000 rows. Please split it into several files.',
  },
  ERR_BATCH_MISSING_COLUMN: {
    'zh-TW': '標題列缺少「{field}」欄，請使用下載的範本檔。',
    en: 'The header row lacks the "{field}" column. Please use the template you can download.',
  },
  ERR_BATCH_UNKNOWN_COLUMN: {
    'zh-TW': '標題列有範本以外的欄位，請使用下載的範本檔，不要增加欄位。',
    en: 'The header row has a column the template does not have. Please use the template without adding columns.',
  },
  ERR_BATCH_DUPLICATE_COLUMN: {
    'zh-TW': '標題列的「{field}」欄出現兩次，請刪除其中一欄。',
    en: 'The "{field}" column appears twice in the header row. Please delete one of them.',
  },
  ERR_BATCH_EXTRA_CELLS: {
    'zh-TW': '這一列的欄位比標題列多，可能有資料錯位或多了逗號，請檢查這一列。',
    en: 'This row has more cells than the header row; data may be shifted or a comma added. Please check the row.',
  },
  ERR_BATCH_FIELD_NOT_FOR_KIND: {
    'zh-TW': '此申報類別不使用「{field}」，請清空該欄或改正申報類別。',
    en: 'This filing kind does not use "{field}". Please empty that cell or correct the filing kind.',
  },
  ERR_BATCH_DUPLICATE_ROW: {
    'zh-TW': '這一列與前面某一列完全相同，已略過；如確有兩筆，請檢查是否重複貼上。',
    en: 'This row is the same as an earlier row and was skipped. Please check whether it was pasted twice.',
  },
  ERR_BATCH_CONFLICTING_ROWS: {
    'zh-TW': '同一人同一申報類別在檔案中出現兩次且內容不同，請只保留正確的一列。',
    en: 'The same person appears twice with the same filing kind and different data. Please keep only the correct row.',
  },
  ERR_BATCH_FORMULA_CELL: {
    'zh-TW': '「{field}」是公式，系統不計算公式；請在 Excel 複製後「選擇性貼上 → 值」，改成直接填入的資料。',
    en: '"{field}" is a formula, and formulas are never calculated here. In Excel, copy it and use Paste Special → Values so the cell holds the value itself.',
  },
  ERR_BATCH_CSV_MALFORMED: {
    'zh-TW': '檔案從這一列起無法讀取（引號未成對或多餘），請在 Excel 開啟後另存為 CSV 再上傳。',
    en: 'The file cannot be read from this row on (an unmatched or stray quote). Please open it in Excel, save it as CSV again and upload it.',
  },
};

/** The message for any filing issue in the clerk's language, naming the field. */
export function filingIssueMessage(code: FilingIssueCode, field: FilingField, language: Language): string {
  const template =
    code in FILING_CHECK_MESSAGES
      ? FILING_CHECK_MESSAGES[code as FilingCheckCode][language]
      : FIELD_ERROR_MESSAGES[code as FieldErrorCode][language];
  return fillFieldLabel(template, FIELD_LABELS[field][language]);
}
