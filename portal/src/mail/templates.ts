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
import * as rules from '../../../shared/fields/rules.ts';
import type { OutgoingMail } from './mailer.ts';

/**
 * The field rules hold in mails too: the recipient follows the one e-mail rule and no text put in a
 * mail holds a line break or a hidden character (which could add a header or hide text). The routes
 * refuse such input already; this stops a mail built from anything else.
 */
function checkMailInput(to: string, params: MailParams): void {
  const recipient = rules.email(to);
  if (!recipient.ok || recipient.value !== to) throw new Error('mail recipient breaks the e-mail rule');
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' && rules.hasHiddenCharacter(value))
      throw new Error(`mail text ${name} holds a hidden character`);
  }
}

export function composeMail(event: MailEvent, to: string, params: MailParams): OutgoingMail {
  checkMailInput(to, params);
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
