/**
 * The one catalogue of texts the portal sends to people (e-mails). Each message has a zh-TW and an
 * English version; mails show zh-TW first, then English.
 */
export type Language = 'zh-TW' | 'en';

export interface MailParams {
  unitName: string;
  unitCode: string;
  /** When the change happened, ISO-8601. */
  time: string;
  /** How the unit registered or which credential was used (masked). */
  credential?: string;
  clerkName?: string;
  /** Filing outcomes (issue 10): the receipt and the counts. */
  receiptNo?: string;
  filingCount?: number;
  acceptedCount?: number;
  rejectedCount?: number;
}

export type MailEvent =
  'registration-approved' | 'registration-cancelled' | 'clerk-added' | 'clerk-revoked' | 'filing-processed';

interface MailText {
  subject: string;
  body: (p: MailParams) => string;
}

export const PORTAL_NAME: Readonly<Record<Language, string>> = {
  'zh-TW': '卡橋參考入口網站（測試）',
  en: 'CardBridge reference portal (TEST)',
};

export const MAIL_MESSAGES: Readonly<Record<MailEvent, Readonly<Record<Language, MailText>>>> = {
  'registration-approved': {
    'zh-TW': {
      subject: '單位註冊審核通過',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）已於 ${p.time} 完成單位註冊，審核通過。\n` +
        `註冊使用的憑證或卡片：${p.credential ?? '-'}\n` +
        '現在可以用單位憑證或負責人健保卡登入，登錄經辦人。',
    },
    en: {
      subject: 'Unit registration approved',
      body: (p) =>
        `${p.unitName} (insured unit code ${p.unitCode}) registered at ${p.time}; the registration is approved.\n` +
        `Certificate or card used: ${p.credential ?? '-'}\n` +
        "You can now log in with the unit certificate or the responsible person's NHI card and add clerks.",
    },
  },
  'registration-cancelled': {
    'zh-TW': {
      subject: '單位註冊已註銷',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）的單位註冊已於 ${p.time} 註銷。\n` +
        '所有經辦人的資格都已取消，登入中的使用者也已登出。若非貴單位所為，請立即聯絡健保署。',
    },
    en: {
      subject: 'Unit registration cancelled',
      body: (p) =>
        `The registration of ${p.unitName} (insured unit code ${p.unitCode}) was cancelled at ${p.time}.\n` +
        'All clerks were withdrawn and everyone logged in was logged out. If your unit did not do this, contact the NHIA at once.',
    },
  },
  'clerk-added': {
    'zh-TW': {
      subject: '已登錄經辦人',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）於 ${p.time} 登錄了經辦人 ${p.clerkName ?? '-'}` +
        `（${p.credential ?? '-'}）。\n若非貴單位所為，請立即登入取消該經辦人。`,
    },
    en: {
      subject: 'Clerk added',
      body: (p) =>
        `${p.unitName} (insured unit code ${p.unitCode}) added the clerk ${p.clerkName ?? '-'} ` +
        `(${p.credential ?? '-'}) at ${p.time}.\nIf your unit did not do this, log in and withdraw the clerk at once.`,
    },
  },
  'clerk-revoked': {
    'zh-TW': {
      subject: '已取消經辦人',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）於 ${p.time} 取消了經辦人 ${p.clerkName ?? '-'}` +
        `（${p.credential ?? '-'}）的資格，該經辦人已無法登入。`,
    },
    en: {
      subject: 'Clerk withdrawn',
      body: (p) =>
        `${p.unitName} (insured unit code ${p.unitCode}) withdrew the clerk ${p.clerkName ?? '-'} ` +
        `(${p.credential ?? '-'}) at ${p.time}; the clerk can no longer log in.`,
    },
  },
  'filing-processed': {
    'zh-TW': {
      subject: '投保異動申報處理結果',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）受理編號 ${p.receiptNo ?? '-'} 的申報已於 ${p.time} 處理完成。\n` +
        `共 ${p.filingCount ?? 0} 筆：受理 ${p.acceptedCount ?? 0} 筆，不受理 ${p.rejectedCount ?? 0} 筆。\n` +
        '不受理的原因與逾期申報的註記，請登入後於申報紀錄查詢。',
    },
    en: {
      subject: 'Outcome of your insurance change filing',
      body: (p) =>
        `The filing of ${p.unitName} (insured unit code ${p.unitCode}) with receipt ${p.receiptNo ?? '-'} was processed at ${p.time}.\n` +
        `${p.filingCount ?? 0} filings: ${p.acceptedCount ?? 0} accepted, ${p.rejectedCount ?? 0} rejected.\n` +
        'Log in and open the filing history for the reasons of rejections and the notes on late filings.',
    },
  },
};

/** Texts printed on slips and statements (PDF and CSV): zh-TW, with English beside it. */
export const DOCUMENT_TEXT = {
  slipTitle: {
    'zh-TW': '全民健康保險投保單位保險費繳款單（電子繳款單）',
    en: 'NHI premium payment slip for insured units (e-slip)',
  },
  unitName: { 'zh-TW': '投保單位名稱', en: 'Insured unit' },
  unitCode: { 'zh-TW': '投保單位代號', en: 'Unit code' },
  period: { 'zh-TW': '計費年月', en: 'Premium months' },
  cycleMonthly: { 'zh-TW': '按月計收', en: 'monthly' },
  cycleBimonthly: { 'zh-TW': '雙月計收', en: 'bi-monthly' },
  insuredPersons: { 'zh-TW': '被保險人數／眷屬人數', en: 'Insured persons / dependants' },
  personShare: { 'zh-TW': '被保險人及眷屬自付保險費', en: "Insured persons' and dependants' share" },
  unitShare: { 'zh-TW': '投保單位負擔保險費', en: "Unit's share" },
  total: { 'zh-TW': '應繳總金額', en: 'Total due' },
  dueDate: { 'zh-TW': '繳納期限', en: 'Pay by' },
  lateRule: {
    'zh-TW': (grace: number, daily: string, cap: string) =>
      `逾繳納期限 ${grace} 日（寬限期）後，每逾一日加徵應納費額 ${daily} 之滯納金，最高加徵至 ${cap}。`,
    en: (grace: number, daily: string, cap: string) =>
      `After ${grace} days of grace past the due date, a surcharge of ${daily} of the amount per day, up to ${cap}.`,
  },
  bankTransfer: { 'zh-TW': '轉帳繳款：銀行代號／虛擬帳號', en: 'Bank transfer: bank code / virtual account' },
  storeBarcodes: { 'zh-TW': '超商代收條碼', en: 'Convenience-store barcodes' },
  issued: { 'zh-TW': '製表日期', en: 'Issued' },
  testNotice: {
    'zh-TW': '本繳款單由卡橋參考入口網站產生，僅供測試，不可用於繳費。',
    en: 'Made by the CardBridge reference portal for testing only; not payable.',
  },
  detailTitle: { 'zh-TW': '保費明細表', en: 'Premium detail statement' },
  summaryTitle: { 'zh-TW': '員工保費計算彙總表', en: 'Employee premium summary' },
  idNumber: { 'zh-TW': '身分證號', en: 'ID number' },
  name: { 'zh-TW': '姓名', en: 'Name' },
  role: { 'zh-TW': '身分', en: 'Role' },
  roleInsured: { 'zh-TW': '被保險人', en: 'insured' },
  roleDependant: { 'zh-TW': '眷屬', en: 'dependant' },
  insuredAmount: { 'zh-TW': '投保金額', en: 'Insured amount' },
  ownShare: { 'zh-TW': '自付保費', en: 'Own share' },
  notCharged: { 'zh-TW': '超過3口，免計', en: 'beyond 3, not charged' },
  dependantsCount: { 'zh-TW': '眷屬人數', en: 'Dependants' },
  personTotal: { 'zh-TW': '個人應繳合計', en: 'Person total' },
  month: { 'zh-TW': '月份', en: 'Month' },
  page: { 'zh-TW': '頁', en: 'page' },
} as const;
