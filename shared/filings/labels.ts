/**
 * Labels of the filing kinds and of every filing field, zh-TW first (the words NHI forms use),
 * English second. Messages name a field with these (fields/errors.ts `{field}`).
 */
import type { LocalizedText } from '../protocol/errors.ts';

export const FILING_KIND_LABELS = {
  enrol: { 'zh-TW': '加保', en: 'Enrolment' },
  withdraw: { 'zh-TW': '退保', en: 'Withdrawal' },
  'dependant-enrol': { 'zh-TW': '眷屬加保', en: 'Dependant enrolment' },
  'dependant-withdraw': { 'zh-TW': '眷屬退保', en: 'Dependant withdrawal' },
  'amount-change': { 'zh-TW': '投保金額調整', en: 'Insured amount change' },
  correction: { 'zh-TW': '資料變更', en: 'Correction of personal data' },
} as const satisfies Record<string, LocalizedText>;

export type FilingKind = keyof typeof FILING_KIND_LABELS;
export const FILING_KINDS = Object.keys(FILING_KIND_LABELS) as FilingKind[];

export const FIELD_LABELS = {
  kind: { 'zh-TW': '申報類別', en: 'Filing kind' },
  scheme: { 'zh-TW': '投保類別', en: 'Insurance scheme' },
  idNumber: { 'zh-TW': '身分證號', en: 'ID number' },
  name: { 'zh-TW': '姓名', en: 'Name' },
  birthDate: { 'zh-TW': '出生日期', en: 'Birth date' },
  enrolmentDate: { 'zh-TW': '加保日期', en: 'Enrolment date' },
  insuredAmount: { 'zh-TW': '健保投保金額', en: 'NHI insured amount' },
  labourInsuredSalary: { 'zh-TW': '勞保投保薪資', en: 'Labour insurance insured salary' },
  employerPensionPercent: { 'zh-TW': '勞退雇主提繳率', en: 'Employer pension contribution rate' },
  employeePensionPercent: {
    'zh-TW': '勞退個人自願提繳率',
    en: 'Employee voluntary pension contribution rate',
  },
  date: { 'zh-TW': '異動日期', en: 'Date of change' },
  reason: { 'zh-TW': '原因代碼', en: 'Reason code' },
  insuredIdNumber: { 'zh-TW': '被保險人身分證號', en: "Insured person's ID number" },
  relationship: { 'zh-TW': '稱謂', en: 'Relationship' },
  effectiveMonth: { 'zh-TW': '生效月份', en: 'Effective month' },
  payChangedMonth: { 'zh-TW': '薪資調整月份', en: 'Month the pay changed' },
  newIdNumber: { 'zh-TW': '新身分證號', en: 'New ID number' },
  newName: { 'zh-TW': '新姓名', en: 'New name' },
  unitCode: { 'zh-TW': '投保單位代號', en: 'Insured unit code' },
  row: { 'zh-TW': '整列資料', en: 'Whole row' },
} as const satisfies Record<string, LocalizedText>;

export type FilingField = keyof typeof FIELD_LABELS;
