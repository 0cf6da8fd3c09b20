/** What the services need from mail delivery. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Machine-readable kind of mail, sent as the X-CardBridge-Event header. */
  event: string;
  /** Its outbox row id: the Message-ID's local part, the same for every try. */
  messageId?: string;
  /** Files sent with the mail (the slip PDF); only mails sent directly carry them, not the outbox table. */
  attachments?: readonly MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** The Message-ID header of a mail from the outbox row `id`. */
export const messageIdOf = (id: string): string => `<${id}@outbox.cardbridge.invalid>`;

export interface OutboxEntry {
  id: string;
  date: string;
  from: string;
  to: string;
  subject: string;
  event: string;
  text: string;
  eml: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
  /** Only the file outbox can list what it wrote (GET /dev/outbox). */
  list?(): Promise<OutboxEntry[]>;
}
