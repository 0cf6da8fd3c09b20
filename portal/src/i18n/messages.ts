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
}

export type MailEvent = 'registration-approved' | 'registration-cancelled' | 'clerk-added' | 'clerk-revoked';

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
};
