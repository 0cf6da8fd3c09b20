/**
 * Reason codes and dependant relationships. No public list of NHI codes exists, so these are
 * designed by CardBridge (see ./README.md for the rationale of each); the relationships follow the
 * dependants NHI Act art. 2 lists. Codes are never reused for another meaning; add new ones at the end.
 */
import type { LocalizedText } from '../protocol/errors.ts';
import type { Sourced } from '../rules/dated.ts';

export interface CodeEntry<C extends string> {
  code: C;
  label: LocalizedText;
}

export const DESIGNED: Sourced = {
  source: 'designed by CardBridge (shared/filings/README.md)',
  status: 'designed',
  note: 'No public list of NHI reason codes or of a code per relationship was found (facts file, "Enrolment filings").',
};

export const WITHDRAWAL_REASON_CODES = ['W01', 'W02', 'W03', 'W04', 'W05', 'W06'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASON_CODES)[number];

export const WITHDRAWAL_REASONS: readonly CodeEntry<WithdrawalReason>[] = [
  { code: 'W01', label: { 'zh-TW': '離職', en: 'Left the job' } },
  { code: 'W02', label: { 'zh-TW': '留職停薪', en: 'Unpaid leave' } },
  { code: 'W03', label: { 'zh-TW': '死亡', en: 'Death' } },
  { code: 'W04', label: { 'zh-TW': '出國六個月以上', en: 'Abroad for six months or more' } },
  { code: 'W05', label: { 'zh-TW': '喪失投保資格', en: 'No longer eligible to be insured' } },
  { code: 'W06', label: { 'zh-TW': '誤加保更正', en: 'Enrolled by mistake' } },
];

export const DEPENDANT_ENROL_REASON_CODES = ['DA01', 'DA02', 'DA03', 'DA04'] as const;
export type DependantEnrolReason = (typeof DEPENDANT_ENROL_REASON_CODES)[number];

export const DEPENDANT_ENROL_REASONS: readonly CodeEntry<DependantEnrolReason>[] = [
  {
    code: 'DA01',
    label: { 'zh-TW': '新增眷屬（結婚、出生、收養）', en: 'New dependant (marriage, birth, adoption)' },
  },
  {
    code: 'DA02',
    label: {
      'zh-TW': '隨同被保險人到職加保',
      en: 'Enrolled together with the newly employed insured person',
    },
  },
  { code: 'DA03', label: { 'zh-TW': '自其他被保險人轉入', en: 'Moved from another insured person' } },
  { code: 'DA04', label: { 'zh-TW': '眷屬失去原投保資格', en: 'Dependant lost their own insurance' } },
];

export const DEPENDANT_WITHDRAWAL_REASON_CODES = ['DW01', 'DW02', 'DW03', 'DW04', 'DW05', 'DW06'] as const;
export type DependantWithdrawalReason = (typeof DEPENDANT_WITHDRAWAL_REASON_CODES)[number];

export const DEPENDANT_WITHDRAWAL_REASONS: readonly CodeEntry<DependantWithdrawalReason>[] = [
  {
    code: 'DW01',
    label: { 'zh-TW': '眷屬本人就業或另依其他身分加保', en: 'Dependant insured in their own right' },
  },
  { code: 'DW02', label: { 'zh-TW': '改依附其他被保險人', en: 'Moved to another insured person' } },
  { code: 'DW03', label: { 'zh-TW': '死亡', en: 'Death' } },
  { code: 'DW04', label: { 'zh-TW': '離婚或終止收養', en: 'Divorce or end of adoption' } },
  { code: 'DW05', label: { 'zh-TW': '不再符合眷屬資格', en: 'No longer eligible as a dependant' } },
  { code: 'DW06', label: { 'zh-TW': '被保險人退保，眷屬隨同退保', en: 'Withdrawn with the insured person' } },
];

/** NHI Act art. 2: spouse, lineal ascendants, lineal descendants within the second degree. */
export const RELATIONSHIP_CODES = ['R01', 'R02', 'R03', 'R04', 'R05', 'R06', 'R07', 'R08', 'R09'] as const;
export type Relationship = (typeof RELATIONSHIP_CODES)[number];

export const RELATIONSHIPS: readonly CodeEntry<Relationship>[] = [
  { code: 'R01', label: { 'zh-TW': '配偶', en: 'Spouse' } },
  { code: 'R02', label: { 'zh-TW': '子女', en: 'Child' } },
  { code: 'R03', label: { 'zh-TW': '父母', en: 'Parent' } },
  { code: 'R04', label: { 'zh-TW': '祖父母', en: 'Paternal grandparent' } },
  { code: 'R05', label: { 'zh-TW': '外祖父母', en: 'Maternal grandparent' } },
  { code: 'R06', label: { 'zh-TW': '孫子女', en: "Son's child" } },
  { code: 'R07', label: { 'zh-TW': '外孫子女', en: "Daughter's child" } },
  { code: 'R08', label: { 'zh-TW': '曾祖父母', en: 'Paternal great-grandparent' } },
  { code: 'R09', label: { 'zh-TW': '外曾祖父母', en: 'Maternal great-grandparent' } },
];

/** Finds the code whose zh-TW label is written, so a batch file may carry 配偶 instead of R01. */
export function codeForLabel<C extends string>(
  entries: readonly CodeEntry<C>[],
  text: string,
): C | undefined {
  return entries.find((e) => e.label['zh-TW'] === text)?.code;
}
