/**
 * Column headers and value labels of the query exports (roster.csv, history.csv), zh-TW first and
 * English second in each header so that either reader finds the column. Field names come from the
 * filings' own labels (shared/filings/labels.ts); only the columns that are not filing fields are here.
 */
import type { LocalizedText } from '../../../shared/protocol/errors.ts';
import { FIELD_LABELS, FILING_KIND_LABELS, type FilingKind } from '../../../shared/filings/labels.ts';
import { RELATIONSHIPS } from '../../../shared/filings/codes.ts';

const EXPORT_ONLY_LABELS = {
  row: { 'zh-TW': '身分別', en: 'Role' },
  insured: { 'zh-TW': '被保險人', en: 'Insured person' },
  dependant: { 'zh-TW': '眷屬', en: 'Dependant' },
  fromDate: { 'zh-TW': '起日', en: 'From' },
  toDate: { 'zh-TW': '迄日', en: 'Until' },
  receiptNo: { 'zh-TW': '受理編號', en: 'Receipt number' },
  receivedAt: { 'zh-TW': '收件時間', en: 'Received at' },
  state: { 'zh-TW': '處理狀態', en: 'State' },
  late: { 'zh-TW': '逾期申報', en: 'Filed late' },
  issues: { 'zh-TW': '問題代碼', en: 'Issue codes' },
  signer: { 'zh-TW': '簽章人', en: 'Signed by' },
  submissionId: { 'zh-TW': '申報批次', en: 'Submission' },
  effectiveDate: { 'zh-TW': '生效日期', en: 'Effective date' },
  scheme: { 'zh-TW': '投保類別', en: 'Scheme' },
  nhi: { 'zh-TW': '健保', en: 'NHI' },
  joint: { 'zh-TW': '勞健保', en: 'Labour and NHI' },
  received: { 'zh-TW': '已收件', en: 'Received' },
  accepted: { 'zh-TW': '已核准', en: 'Accepted' },
  rejected: { 'zh-TW': '已退件', en: 'Rejected' },
  yes: { 'zh-TW': '是', en: 'Yes' },
} as const satisfies Record<string, LocalizedText>;

export type ExportLabel = keyof typeof EXPORT_ONLY_LABELS;

export const header = (label: LocalizedText): string => `${label['zh-TW']} ${label.en}`;
export const exportLabel = (key: ExportLabel): string => header(EXPORT_ONLY_LABELS[key]);
export const valueLabel = (key: ExportLabel): string => EXPORT_ONLY_LABELS[key]['zh-TW'];
export const fieldHeader = (key: keyof typeof FIELD_LABELS): string => header(FIELD_LABELS[key]);
export const kindLabel = (kind: FilingKind): string => FILING_KIND_LABELS[kind]['zh-TW'];
export const relationshipLabel = (code: string): string =>
  RELATIONSHIPS.find((r) => r.code === code)?.label['zh-TW'] ?? code;
