/** Builds a mail from the catalogue (../i18n/messages.ts): zh-TW first, then English. */
import { MAIL_MESSAGES, PORTAL_NAME, type MailEvent, type MailParams } from '../i18n/messages.ts';
import type { OutgoingMail } from './mailer.ts';

export function composeMail(event: MailEvent, to: string, params: MailParams): OutgoingMail {
  const zh = MAIL_MESSAGES[event]['zh-TW'];
  const en = MAIL_MESSAGES[event].en;
  const subject = `[${PORTAL_NAME['zh-TW']}] ${zh.subject} / ${en.subject}`;
  const text = [
    `${PORTAL_NAME['zh-TW']}`,
    '',
    zh.body(params),
    '',
    '（本郵件由系統自動發送，請勿直接回覆。）',
    '',
    '----------------------------------------',
    '',
    `${PORTAL_NAME.en}`,
    '',
    en.body(params),
    '',
    '(This message was sent automatically; please do not reply.)',
    '',
  ].join('\n');
  return { to, subject, text, event };
}
