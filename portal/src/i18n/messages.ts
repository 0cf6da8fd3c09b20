/**
 * The one catalogue of texts the portal sends to people (e-mails). Each message has a zh-TW and an
 * English version; mails show zh-TW first, then English.
 */
export type Language = 'zh-TW' | 'en';

export interface MailParams {
  unitName: string;
  unitCode: string;
  /** When the change happened, ISO-8601; the mail writes it in Taipei time (mail/templates.ts). */
  time: string;
  /** How the unit registered or which credential was used (masked); per language where it has words. */
  credential?: string | Readonly<Record<Language, string>>;
  clerkName?: string;
  /** Slip mails: the confirmation link and when it expires, the period, amount and due date. */
  link?: string;
  expires?: string;
  period?: string;
  amount?: string;
  dueDate?: string;
  /** Filing outcomes (issue 10): the receipt and the counts. */
  receiptNo?: string;
  filingCount?: number;
  acceptedCount?: number;
  rejectedCount?: number;
}

export type MailEvent =
  | 'registration-approved'
  | 'registration-cancelled'
  | 'clerk-added'
  | 'clerk-revoked'
  /** To the clerk's own address, when the unit gave one. */
  | 'clerk-added-notice'
  | 'clerk-revoked-notice'
  | 'slip-address-confirm'
  | 'slip-issued'
  | 'filing-processed';

/** What a body is written from: the credential already in the body's language (mail/templates.ts). */
export type MailTextParams = Omit<MailParams, 'credential'> & { credential?: string };

interface MailText {
  subject: string;
  body: (p: MailTextParams) => string;
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
  'clerk-added-notice': {
    'zh-TW': {
      subject: '您已被登錄為經辦人',
      body: (p) =>
        `${p.clerkName ?? '-'} 您好：\n${p.unitName}（投保單位代號 ${p.unitCode}）於 ${p.time} 將您登錄為經辦人` +
        `（${p.credential ?? '-'}），您可以用這張憑證或健保卡登入，替該單位辦理承保作業。\n` +
        '若您不知道這件事，請聯絡該單位或健保署。',
    },
    en: {
      subject: 'You were added as a clerk',
      body: (p) =>
        `Dear ${p.clerkName ?? '-'},\n${p.unitName} (insured unit code ${p.unitCode}) added you as a clerk ` +
        `(${p.credential ?? '-'}) at ${p.time}; you can now log in with that certificate or NHI card for the unit.\n` +
        'If you did not expect this, contact the unit or the NHIA.',
    },
  },
  'clerk-revoked-notice': {
    'zh-TW': {
      subject: '您的經辦人資格已取消',
      body: (p) =>
        `${p.clerkName ?? '-'} 您好：\n${p.unitName}（投保單位代號 ${p.unitCode}）於 ${p.time} 取消了您的經辦人資格` +
        `（${p.credential ?? '-'}），您已無法替該單位登入。\n若您認為有誤，請聯絡該單位。`,
    },
    en: {
      subject: 'Your clerk access was withdrawn',
      body: (p) =>
        `Dear ${p.clerkName ?? '-'},\n${p.unitName} (insured unit code ${p.unitCode}) withdrew your clerk access ` +
        `(${p.credential ?? '-'}) at ${p.time}; you can no longer log in for the unit.\n` +
        'If you think this is a mistake, contact the unit.',
    },
  },
  'slip-address-confirm': {
    'zh-TW': {
      subject: '請確認電子繳款單收件信箱',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）於 ${p.time} 申請以這個信箱接收電子繳款單。\n` +
        `請開啟下列連結並按「確認」完成申請（連結只能使用一次，${p.expires ?? '-'} 前有效）：\n${p.link ?? '-'}\n` +
        '若非貴單位所為，請忽略本郵件，信箱不會被登記。',
    },
    en: {
      subject: 'Please confirm the address for e-payment slips',
      body: (p) =>
        `${p.unitName} (insured unit code ${p.unitCode}) asked at ${p.time} to receive e-payment slips at this address.\n` +
        `Open this link and press "Confirm" to finish (it works once, until ${p.expires ?? '-'}):\n${p.link ?? '-'}\n` +
        'If your unit did not ask for this, ignore this mail; the address will not be registered.',
    },
  },
  'slip-issued': {
    'zh-TW': {
      subject: '健保費電子繳款單',
      body: (p) =>
        `${p.unitName}（投保單位代號 ${p.unitCode}）${p.period ?? ''} 的保險費電子繳款單如附件（PDF），於 ${p.time} 寄出。\n` +
        `應繳總金額：新臺幣 ${p.amount ?? '-'} 元，繳款期限：${p.dueDate ?? '-'}。\n` +
        '也可以登入後於「下載區」下載繳款單與各類明細表。',
    },
    en: {
      subject: 'NHI premium e-payment slip',
      body: (p) =>
        `The e-payment slip of ${p.unitName} (insured unit code ${p.unitCode}) for ${p.period ?? ''} is attached (PDF), sent at ${p.time}.\n` +
        `Total due: NT$ ${p.amount ?? '-'}, by ${p.dueDate ?? '-'}.\n` +
        'You can also log in and download the slip and statements from the download area.',
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

/** The confirmation link's page (電子繳款單收件信箱確認), served by the portal itself. */
export const SLIP_CONFIRM_PAGE = {
  title: { 'zh-TW': '確認電子繳款單收件信箱', en: 'Confirm the address for e-payment slips' },
  ask: {
    'zh-TW': '請按「確認」，以這個信箱接收貴單位的電子繳款單。',
    en: "Press Confirm to receive your unit's e-payment slips at this address.",
  },
  button: { 'zh-TW': '確認', en: 'Confirm' },
  done: {
    'zh-TW': (unit: string, email: string) => `已確認：${unit} 的電子繳款單將於每月 20 日寄到 ${email}。`,
    en: (unit: string, email: string) =>
      `Confirmed: the e-payment slips of ${unit} will be mailed to ${email} on the 20th.`,
  },
} as const;
