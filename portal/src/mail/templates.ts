/**
 * Builds a mail from the catalogue (../i18n/messages.ts): zh-TW first, then English. Times are
 * written the way a clerk writes them, in Asia/Taipei: 115/12/02 21:42 (臺北時間) in Chinese,
 * 2026/12/02 21:42 (Taipei time) in English.
 */
import { formatClerkDateTime } from '../../../shared/tw/clerkDate.ts';
import {
  MAIL_MESSAGES,
  PORTAL_NAME,
  type Language,
  type MailEvent,
  type MailParams,
  type MailTextParams,
} from '../i18n/messages.ts';
import type { OutgoingMail } from './mailer.ts';

export function composeMail(event: MailEvent, to: string, params: MailParams): OutgoingMail {
  const zh = MAIL_MESSAGES[event]['zh-TW'];
  const en = MAIL_MESSAGES[event].en;
  const inLanguage = (language: Language, time: string): MailTextParams => {
    const { credential, ...rest } = params;
    const text = typeof credential === 'object' ? credential[language] : credential;
    return { ...rest, time, ...(text === undefined ? {} : { credential: text }) };
  };
  const zhParams = inLanguage('zh-TW', `${formatClerkDateTime(params.time, 'roc')}（臺北時間）`);
  const enParams = inLanguage('en', `${formatClerkDateTime(params.time, 'gregorian')} (Taipei time)`);
  const subject = `[${PORTAL_NAME['zh-TW']}] ${zh.subject} / ${en.subject}`;
  const text = [
    `${PORTAL_NAME['zh-TW']}`,
    '',
    zh.body(zhParams),
    '',
    '（本郵件由系統自動發送，請勿直接回覆。）',
    '',
    '----------------------------------------',
    '',
    `${PORTAL_NAME.en}`,
    '',
    en.body(enParams),
    '',
    '(This message was sent automatically; please do not reply.)',
    '',
  ].join('\n');
  return { to, subject, text, event };
}
