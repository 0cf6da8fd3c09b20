/**
 * Queues the e-mails of the catalogue in the caller's transaction (mail/mailQueue.ts): they are sent
 * after the commit, and only if it commits. A failed delivery is retried, never fails the request.
 */
import type { MailEvent, MailParams } from '../i18n/messages.ts';
import { enqueueMail } from '../mail/mailQueue.ts';
import { composeMail } from '../mail/templates.ts';
import type { PortalContext } from './context.ts';

export async function notify(
  ctx: PortalContext,
  event: MailEvent,
  to: string,
  params: MailParams,
): Promise<void> {
  await enqueueMail(ctx.db, composeMail(event, to, params), ctx.clock());
}
