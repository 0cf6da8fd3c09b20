/** Builds a mail from the catalogue (../i18n/messages.ts): zh-TW first, then English. */
import { MAIL_MESSAGES, PORTAL_NAME, type MailEvent, type MailParams } from '../i18n/messages.ts';
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
