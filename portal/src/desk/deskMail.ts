/** The desk's mails (activation, reset, e-mail change): zh-TW first, then English, queued in the caller's transaction. */
import type { Kysely } from 'kysely';
import { deskText, type DeskTextKey } from '../../../shared/desk/messages.ts';
import type { Database } from '../db/schema.ts';
import { enqueueMail } from '../mail/mailQueue.ts';

export type DeskMailKind = 'activate' | 'reset' | 'email';

const TEXTS: Readonly<Record<DeskMailKind, { subject: DeskTextKey; body: DeskTextKey; event: string }>> = {
  activate: { subject: 'mailActivateSubject', body: 'mailActivateBody', event: 'desk-activation' },
  reset: { subject: 'mailResetSubject', body: 'mailResetBody', event: 'desk-password-reset' },
  email: { subject: 'mailEmailSubject', body: 'mailEmailBody', event: 'desk-email-change' },
};

export async function queueDeskMail(
  db: Kysely<Database>,
  kind: DeskMailKind,
  to: string,
  params: Record<string, string | number>,
  now: Date,
): Promise<void> {
  const text = TEXTS[kind];
  const subject = `${deskText(text.subject, 'zh-TW')} / ${deskText(text.subject, 'en')}`;
  const body = [
    deskText('siteName', 'zh-TW'),
    '',
    deskText(text.body, 'zh-TW', params),
    '',
    '（本郵件由系統自動發送，請勿直接回覆。）',
    '',
    '----------------------------------------',
    '',
    deskText('siteName', 'en'),
    '',
    deskText(text.body, 'en', params),
    '',
    '(This message was sent automatically; please do not reply.)',
    '',
  ].join('\n');
  await enqueueMail(db, { to, subject, text: body, event: text.event }, now);
}
