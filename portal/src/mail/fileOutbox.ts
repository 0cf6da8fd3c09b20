/**
 * A file outbox for development and tests without a mail server: every mail is written as an RFC 822
 * `.eml` (built by nodemailer, exactly what SMTP would carry) and a `.json` summary.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { messageIdOf, type Mailer, type OutboxEntry, type OutgoingMail } from './mailer.ts';

/** Written beside, then renamed: a crash leaves a whole file or none (plus at most a stray .tmp). */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return ['id', 'date', 'from', 'to', 'subject', 'event', 'text', 'eml'].every(
    (key) => typeof entry[key] === 'string',
  );
}

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
        ...(mail.messageId ? { messageId: messageIdOf(mail.messageId) } : {}),
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ ...a })) } : {}),
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
      await writeAtomically(join(dir, `${id}.eml`), eml);
      await writeAtomically(join(dir, `${id}.json`), `${JSON.stringify(entry, null, 2)}\n`);
    },
    async list() {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
      const entries: OutboxEntry[] = [];
      for (const name of names) {
        // A file someone else left broken (or an older crash) is skipped, never fatal to the list.
        try {
          const entry: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
          if (isOutboxEntry(entry)) entries.push(entry);
        } catch {
          continue;
        }
      }
      return entries;
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
