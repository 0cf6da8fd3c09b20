/** Sends the e-mails of the catalogue; a failed delivery is logged, never fails the request. */
import type { MailEvent, MailParams } from '../i18n/messages.ts';
import { composeMail } from '../mail/templates.ts';
import type { PortalContext } from './context.ts';

export async function notify(
  ctx: PortalContext,
  event: MailEvent,
  to: string,
  params: MailParams,
): Promise<void> {
  try {
    await ctx.mailer.send(composeMail(event, to, params));
  } catch (error) {
    ctx.warn(`mail ${event} to ${to} failed`, error);
  }
}
