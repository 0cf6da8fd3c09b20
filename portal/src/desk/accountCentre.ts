/**
 * 帳號中心 and password reset: change of e-mail (confirmed again from the new address), change of
 * password (the current one asked), reset by a mailed single-use link, and the recent logins. A
 * password change or reset ends every session of the account.
 */
import type {
  EmailChangeFormBody,
  PasswordChangeFormBody,
  ResetConfirmFormBody,
  ResetRequestFormBody,
} from '../../../shared/desk/deskForms.ts';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import type { DeskAccount, DeskTokenTable } from '../db/schema.ts';
import { writeAudit } from '../services/audit.ts';
import { iso, within, type PortalContext } from '../services/context.ts';
import { maskIdNumber } from '../services/mask.ts';
import { hashPassword, verifyPassword } from '../services/passwords.ts';
import { checkCaptcha } from './captcha.ts';
import { endAllDeskSessions } from './deskSessions.ts';
import { queueDeskMail, type DeskMailKind } from './deskMail.ts';
import { checkEmail, checkIdNumber, checkNewPassword, checkUnitCode, requirePresent } from './fieldChecks.ts';
import { ProblemList } from './problems.ts';
import { consumeToken, type DeskOutcome } from './registration.ts';
import { DESK_SETTINGS } from './settings.ts';
import { newSecret, secretHash } from './tokens.ts';

const personal = (account: DeskAccount) => [
  account.unit_code,
  account.id_number,
  account.card_number,
  account.email,
];

async function mailToken(
  ctx: PortalContext,
  account: DeskAccount,
  kind: Exclude<DeskMailKind, 'activate'>,
  to: string,
  path: string,
  hours: number,
): Promise<void> {
  const now = ctx.clock();
  const token = newSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('desk_tokens')
      .values({
        token_hash: secretHash(token),
        account_id: account.id,
        purpose: kind,
        new_email: kind === 'email' ? to : null,
        created_at: iso(now),
        expires_at: iso(new Date(now.getTime() + hours * 3_600_000)),
        used_at: null,
      })
      .execute();
    await queueDeskMail(trx, kind, to, { hours, link: `${ctx.config.origin}${path}?token=${token}` }, now);
  });
  await ctx.deliverMail();
}

/** Always the same answer, whether an account matched or not. */
export async function requestPasswordReset(
  ctx: PortalContext,
  form: ResetRequestFormBody,
  clientIp: string,
): Promise<DeskOutcome> {
  const problems = new ProblemList();
  const unitCode = checkUnitCode(ctx, problems, form.unitCode);
  const idNumber = checkIdNumber(problems, form.idNumber);
  const email = checkEmail(problems, form.email);
  if (!(await checkCaptcha(ctx, form.captchaId, form.captcha)))
    problems.add({ field: 'captcha', kind: 'account', code: 'ERR_DESK_CAPTCHA_WRONG' });
  const audit = { event: 'desk-reset-request', clientIp, ...(unitCode ? { unitCode } : {}) };
  if (!problems.empty || !unitCode || !idNumber || !email) {
    await writeAudit(ctx, {
      ...audit,
      outcome: 'refused',
      errorCode: problems.firstCode(),
      detail: problems.codes(),
    });
    return { ok: false, problems };
  }
  const account = await ctx.db
    .selectFrom('desk_accounts')
    .selectAll()
    .where('unit_code', '=', unitCode)
    .where('id_number', '=', idNumber)
    .where('email', '=', email)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (account) {
    await mailToken(ctx, account, 'reset', account.email, DESK_PATHS.resetConfirm, DESK_SETTINGS.resetHours);
  }
  await writeAudit(ctx, {
    ...audit,
    subject: maskIdNumber(idNumber),
    outcome: 'success',
    detail: account ? 'mailed' : 'no matching account',
  });
  return { ok: true };
}

/** Whether a mailed link's token can still be used (looked at without using it up). */
export async function isLiveToken(
  ctx: PortalContext,
  token: string,
  purpose: DeskTokenTable['purpose'],
): Promise<boolean> {
  if (token === '' || token.length > 100) return false;
  const row = await ctx.db
    .selectFrom('desk_tokens')
    .select('token_hash')
    .where('token_hash', '=', secretHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(ctx.clock()))
    .executeTakeFirst();
  return row !== undefined;
}

export type ResetOutcome = DeskOutcome | { ok: false; linkInvalid: true };

export async function confirmPasswordReset(
  ctx: PortalContext,
  form: ResetConfirmFormBody,
  clientIp: string,
): Promise<ResetOutcome> {
  const problems = new ProblemList();
  const password = checkNewPassword(problems, form.password, form.passwordAgain, []);
  if (!password) return { ok: false, problems };
  const used = await consumeToken(ctx, form.token, 'reset');
  if (!used) {
    await writeAudit(ctx, {
      event: 'desk-reset',
      clientIp,
      outcome: 'refused',
      errorCode: 'ERR_DESK_LINK_INVALID',
    });
    return { ok: false, linkInvalid: true };
  }
  const hash = await hashPassword(password);
  await ctx.db
    .updateTable('desk_accounts')
    .set({ password_hash: hash })
    .where('id', '=', used.account_id)
    .execute();
  await endAllDeskSessions(ctx, used.account_id);
  await writeAudit(ctx, {
    event: 'desk-reset',
    clientIp,
    outcome: 'success',
    detail: `account ${used.account_id}`,
  });
  return { ok: true };
}

async function checkCurrentPassword(
  account: DeskAccount,
  given: string,
  problems: ProblemList,
): Promise<void> {
  requirePresent(problems, 'currentPassword', 'currentPassword', given);
  if (!problems.has('currentPassword') && !(await verifyPassword(given, account.password_hash)))
    problems.add({ field: 'currentPassword', kind: 'account', code: 'ERR_DESK_CURRENT_PASSWORD_WRONG' });
}

export async function requestEmailChange(
  ctx: PortalContext,
  account: DeskAccount,
  form: EmailChangeFormBody,
  clientIp: string,
): Promise<DeskOutcome> {
  const problems = new ProblemList();
  const email = checkEmail(problems, form.newEmail, 'newEmail');
  await checkCurrentPassword(account, form.currentPassword, problems);
  const audit = {
    event: 'desk-email-change',
    clientIp,
    unitCode: account.unit_code,
    subject: maskIdNumber(account.id_number),
  };
  if (!problems.empty || !email) {
    await writeAudit(ctx, { ...audit, outcome: 'refused', errorCode: problems.firstCode() });
    return { ok: false, problems };
  }
  await mailToken(ctx, account, 'email', email, DESK_PATHS.emailConfirm, DESK_SETTINGS.emailChangeHours);
  await writeAudit(ctx, { ...audit, outcome: 'success', detail: 'confirmation mailed' });
  return { ok: true };
}

export async function confirmEmailChange(
  ctx: PortalContext,
  token: string,
  clientIp: string,
): Promise<boolean> {
  const used = await consumeToken(ctx, token, 'email');
  if (used?.new_email) {
    await ctx.db
      .updateTable('desk_accounts')
      .set({ email: used.new_email })
      .where('id', '=', used.account_id)
      .execute();
  }
  await writeAudit(ctx, {
    event: 'desk-email-confirm',
    clientIp,
    outcome: used ? 'success' : 'refused',
    ...(used ? {} : { errorCode: 'ERR_DESK_LINK_INVALID' }),
  });
  return used !== undefined;
}

export async function changePassword(
  ctx: PortalContext,
  account: DeskAccount,
  form: PasswordChangeFormBody,
  clientIp: string,
): Promise<DeskOutcome> {
  const problems = new ProblemList();
  await checkCurrentPassword(account, form.currentPassword, problems);
  const password = checkNewPassword(problems, form.password, form.passwordAgain, personal(account));
  const audit = {
    event: 'desk-password-change',
    clientIp,
    unitCode: account.unit_code,
    subject: maskIdNumber(account.id_number),
  };
  if (!problems.empty || !password) {
    await writeAudit(ctx, { ...audit, outcome: 'refused', errorCode: problems.firstCode() });
    return { ok: false, problems };
  }
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('desk_accounts')
      .set({ password_hash: hash })
      .where('id', '=', account.id)
      .execute();
    await endAllDeskSessions(within(ctx, trx), account.id);
    await writeAudit(within(ctx, trx), { ...audit, outcome: 'success' });
  });
  return { ok: true };
}

export async function recentLogins(ctx: PortalContext, account: DeskAccount) {
  return ctx.db
    .selectFrom('desk_login_events')
    .select(['at', 'outcome', 'client_ip'])
    .where('unit_code', '=', account.unit_code)
    .where('id_number', '=', account.id_number)
    .orderBy('id', 'desc')
    .limit(DESK_SETTINGS.recentLogins)
    .execute();
}
