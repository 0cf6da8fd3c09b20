/**
 * A file outbox for development and tests without a mail server: every mail is written as an RFC 822
 * `.eml` (built by nodemailer, exactly what SMTP would carry) and a `.json` summary.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer, OutboxEntry, OutgoingMail } from './mailer.ts';

export function createFileOutbox(dir: string, from: string, clock: () => Date = () => new Date()): Mailer {
  mkdirSync(dir, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let sequence = 0;
  return {
    async send(mail: OutgoingMail) {
      const date = clock();
      sequence += 1;
      const stamp = date.toISOString().replace(/[:.]/g, '-');
      const id = `${stamp}-${String(sequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        date,
        headers: { 'X-CardBridge-Event': mail.event },
      });
      const eml = (info.message as Buffer).toString('utf8');
      const entry: OutboxEntry = {
        id,
        date: date.toISOString(),
        from,
        to: mail.to,
        subject: mail.subject,
        event: mail.event,
        text: mail.text,
        eml: `${id}.eml`,
      };
      await writeFile(join(dir, `${id}.eml`), eml);
      await writeFile(join(dir, `${id}.json`), `${JSON.stringify(entry, null, 2)}\n`);
    },
    async list() {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
      const entries: OutboxEntry[] = [];
      for (const name of names) {
        entries.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxEntry);
      }
      return entries;
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
