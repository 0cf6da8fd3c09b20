/**
 * Desk registration and activation. The clerk's card number must belong to the ID number in the
 * card registry (nhi_cards). A second registration of the same clerk for the same unit gets a
 * clear answer (the one who asks already knows the card number); a pending registration whose
 * activation link has expired is replaced. The activation link is single use and expires.
 */
import type { RegisterFormBody } from '../../../shared/desk/deskForms.ts';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { writeAudit } from '../services/audit.ts';
import { iso, within, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';
import { maskIdNumber as maskId } from '../services/mask.ts';
import { hashPassword } from '../services/passwords.ts';
import { checkCaptcha } from './captcha.ts';
import { queueDeskMail } from './deskMail.ts';
import {
  checkCardNumber,
  checkEmail,
  checkIdNumber,
  checkNewPassword,
  checkUnitCode,
} from './fieldChecks.ts';
import { ProblemList } from './problems.ts';
import { DESK_SETTINGS } from './settings.ts';
import { newSecret, secretHash } from './tokens.ts';

export type DeskOutcome = { ok: true } | { ok: false; problems: ProblemList };

async function hasLiveActivation(ctx: PortalContext, accountId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('desk_tokens')
    .select('token_hash')
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'activate')
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(ctx.clock()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function registerAccount(
  ctx: PortalContext,
  form: RegisterFormBody,
  clientIp: string,
): Promise<DeskOutcome> {
  const problems = new ProblemList();
  const unitCode = checkUnitCode(ctx, problems, form.unitCode);
  const idNumber = checkIdNumber(problems, form.idNumber);
  const cardNumber = checkCardNumber(problems, form.cardNumber);
  const email = checkEmail(problems, form.email);
  const password = checkNewPassword(problems, form.password, form.passwordAgain, [
    form.unitCode,
    form.idNumber,
    form.cardNumber,
    form.email,
  ]);
  if (!(await checkCaptcha(ctx, form.captchaId, form.captcha)))
    problems.add({ field: 'captcha', kind: 'account', code: 'ERR_DESK_CAPTCHA_WRONG' });

  let replace: string | undefined;
  if (problems.empty && unitCode && idNumber && cardNumber) {
    const unit = await ctx.db
      .selectFrom('units')
      .select('id')
      .where('unit_code', '=', unitCode)
      .executeTakeFirst();
    if (!unit) problems.add({ field: 'unitCode', kind: 'account', code: 'ERR_DESK_UNIT_UNKNOWN' });
    const card = await ctx.db
      .selectFrom('nhi_cards')
      .select('card_number')
      .where('card_number', '=', cardNumber)
      .where('holder_id', '=', idNumber)
      .executeTakeFirst();
    if (!card) problems.add({ field: 'cardNumber', kind: 'account', code: 'ERR_DESK_CARD_NOT_MATCHING' });
    const existing = await ctx.db
      .selectFrom('desk_accounts')
      .select(['id', 'status'])
      .where('unit_code', '=', unitCode)
      .where('id_number', '=', idNumber)
      .executeTakeFirst();
    if (existing && (existing.status === 'active' || (await hasLiveActivation(ctx, existing.id))))
      problems.add({ field: 'idNumber', kind: 'account', code: 'ERR_DESK_ALREADY_REGISTERED' });
    else replace = existing?.id;
  }

  const audit = {
    event: 'desk-register',
    clientIp,
    subject: idNumber ? maskId(idNumber) : undefined,
    unitCode: unitCode ?? undefined,
  };
  if (!problems.empty || !unitCode || !idNumber || !cardNumber || !email || !password) {
    await writeAudit(ctx, {
      ...audit,
      outcome: 'refused',
      errorCode: problems.firstCode(),
      detail: problems.codes(),
    });
    return { ok: false, problems };
  }

  const passwordHash = await hashPassword(password);
  const now = ctx.clock();
  const token = newSecret();
  await ctx.db.transaction().execute(async (trx) => {
    if (replace) {
      await trx.deleteFrom('desk_tokens').where('account_id', '=', replace).execute();
      await trx.deleteFrom('desk_accounts').where('id', '=', replace).execute();
    }
    const id = newId(now);
    await trx
      .insertInto('desk_accounts')
      .values({
        id,
        unit_code: unitCode,
        id_number: idNumber,
        card_number: cardNumber,
        email,
        password_hash: passwordHash,
        status: 'pending',
        created_at: iso(now),
        activated_at: null,
      })
      .execute();
    await trx
      .insertInto('desk_tokens')
      .values({
        token_hash: secretHash(token),
        account_id: id,
        purpose: 'activate',
        new_email: null,
        created_at: iso(now),
        expires_at: iso(new Date(now.getTime() + DESK_SETTINGS.activationHours * 3_600_000)),
        used_at: null,
      })
      .execute();
    await queueDeskMail(
      trx,
      'activate',
      email,
      {
        unit: unitCode,
        id: maskId(idNumber),
        hours: DESK_SETTINGS.activationHours,
        link: `${ctx.config.origin}${DESK_PATHS.activate}?token=${token}`,
      },
      now,
    );
    await writeAudit(within(ctx, trx), { ...audit, outcome: 'success' });
  });
  await ctx.deliverMail();
  return { ok: true };
}

/**
 * Uses a mailed token once: marks it used by one conditional UPDATE (so two clicks cannot both
 * succeed) and returns its row, or undefined when it is unknown, used or expired.
 */
export async function consumeToken(
  ctx: PortalContext,
  token: string,
  purpose: 'activate' | 'reset' | 'email',
) {
  if (token === '' || token.length > 100) return undefined;
  const now = iso(ctx.clock());
  return ctx.db
    .updateTable('desk_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', secretHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['account_id', 'new_email'])
    .executeTakeFirst();
}

export async function activateAccount(ctx: PortalContext, token: string, clientIp: string): Promise<boolean> {
  const used = await consumeToken(ctx, token, 'activate');
  if (used) {
    await ctx.db
      .updateTable('desk_accounts')
      .set({ status: 'active', activated_at: iso(ctx.clock()) })
      .where('id', '=', used.account_id)
      .execute();
  }
  await writeAudit(ctx, {
    event: 'desk-activate',
    outcome: used ? 'success' : 'refused',
    clientIp,
    ...(used ? { detail: `account ${used.account_id}` } : { errorCode: 'ERR_DESK_LINK_INVALID' }),
  });
  return used !== undefined;
}
