/** Delivers mail over SMTP (SMTP_URL) with nodemailer. */
import nodemailer from 'nodemailer';
import { messageIdOf, type Mailer, type OutgoingMail } from './mailer.ts';

export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail: OutgoingMail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'X-CardBridge-Event': mail.event },
        ...(mail.messageId ? { messageId: messageIdOf(mail.messageId) } : {}),
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ ...a })) } : {}),
      });
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
