/** Delivers mail over SMTP (SMTP_URL) with nodemailer. */
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer.ts';

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
      });
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
