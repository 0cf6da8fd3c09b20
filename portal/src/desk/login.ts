/**
 * Desk login: unit code + ID number + password + captcha. Wrong passwords are counted per typed
 * identity (unit code, ID number) whether an account exists or not, so neither the answer nor the
 * lockout tells which accounts exist. After `lockoutTries` failures in a row the identity is locked
 * for DESK_SETTINGS.lockoutMinutes from the last one; tries while locked are refused unchecked.
 */
import type { LoginFormBody } from '../../../shared/desk/deskForms.ts';
import { writeAudit } from '../services/audit.ts';
import { iso, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';
import { maskIdNumber } from '../services/mask.ts';
import { hashPassword, verifyPassword } from '../services/passwords.ts';
import { checkCaptcha } from './captcha.ts';
import { createDeskSession } from './deskSessions.ts';
import { checkIdNumber, checkUnitCode, requirePresent } from './fieldChecks.ts';
import { ProblemList } from './problems.ts';
import { DESK_SETTINGS } from './settings.ts';

export type LoginOutcome =
  | { ok: true; sessionToken: string }
  | { ok: false; problems: ProblemList }
  | { ok: false; lockedUntil: Date; problems: ProblemList };

/** Compared against when no account exists, so that both answers take a password hash's time. */
let decoyHash: Promise<string> | undefined;

export async function lockedUntil(
  ctx: PortalContext,
  unitCode: string,
  idNumber: string,
): Promise<Date | undefined> {
  const tries = ctx.config.desk.lockoutTries;
  const recent = await ctx.db
    .selectFrom('desk_login_events')
    .select(['outcome', 'at'])
    .where('unit_code', '=', unitCode)
    .where('id_number', '=', idNumber)
    .where('outcome', '!=', 'locked')
    .orderBy('id', 'desc')
    .limit(tries)
    .execute();
  if (recent.length < tries || recent.some((e) => e.outcome !== 'failure')) return undefined;
  const until = new Date(new Date(recent[0]!.at).getTime() + DESK_SETTINGS.lockoutMinutes * 60_000);
  return until > ctx.clock() ? until : undefined;
}

async function recordAttempt(
  ctx: PortalContext,
  unitCode: string,
  idNumber: string,
  accountId: string | null,
  outcome: 'success' | 'failure' | 'locked',
  clientIp: string,
): Promise<void> {
  const now = ctx.clock();
  await ctx.db
    .insertInto('desk_login_events')
    .values({
      id: newId(now),
      unit_code: unitCode,
      id_number: idNumber,
      account_id: accountId,
      outcome,
      client_ip: clientIp.slice(0, 64),
      at: iso(now),
    })
    .execute();
}

export async function logIn(
  ctx: PortalContext,
  form: LoginFormBody,
  clientIp: string,
): Promise<LoginOutcome> {
  const problems = new ProblemList();
  const unitCode = checkUnitCode(ctx, problems, form.unitCode);
  const idNumber = checkIdNumber(problems, form.idNumber);
  requirePresent(problems, 'password', 'password', form.password);
  const captchaOk = await checkCaptcha(ctx, form.captchaId, form.captcha);
  if (!captchaOk) problems.add({ field: 'captcha', kind: 'account', code: 'ERR_DESK_CAPTCHA_WRONG' });
  const audit = {
    event: 'desk-login',
    clientIp,
    ...(idNumber ? { subject: maskIdNumber(idNumber) } : {}),
    ...(unitCode ? { unitCode } : {}),
  };
  if (!problems.empty || !unitCode || !idNumber) {
    await writeAudit(ctx, {
      ...audit,
      outcome: 'refused',
      errorCode: problems.firstCode(),
      detail: problems.codes(),
    });
    return { ok: false, problems };
  }

  const locked = await lockedUntil(ctx, unitCode, idNumber);
  if (locked) {
    await recordAttempt(ctx, unitCode, idNumber, null, 'locked', clientIp);
    await writeAudit(ctx, { ...audit, outcome: 'refused', errorCode: 'ERR_DESK_LOCKED' });
    problems.add({ field: 'password', kind: 'account', code: 'ERR_DESK_LOCKED' });
    return { ok: false, lockedUntil: locked, problems };
  }

  const account = await ctx.db
    .selectFrom('desk_accounts')
    .select(['id', 'password_hash', 'status'])
    .where('unit_code', '=', unitCode)
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
  decoyHash ??= hashPassword('decoy password never used');
  const passwordOk = await verifyPassword(form.password, account?.password_hash ?? (await decoyHash));
  if (!account || !passwordOk) {
    await recordAttempt(ctx, unitCode, idNumber, account?.id ?? null, 'failure', clientIp);
    await writeAudit(ctx, { ...audit, outcome: 'refused', errorCode: 'ERR_DESK_LOGIN_FAILED' });
    const nowLocked = await lockedUntil(ctx, unitCode, idNumber);
    if (nowLocked) {
      problems.add({ field: 'password', kind: 'account', code: 'ERR_DESK_LOCKED' });
      return { ok: false, lockedUntil: nowLocked, problems };
    }
    problems.add({ field: 'password', kind: 'account', code: 'ERR_DESK_LOGIN_FAILED' });
    return { ok: false, problems };
  }
  if (account.status !== 'active') {
    // Only someone who knows the password learns that the account waits for activation.
    await writeAudit(ctx, { ...audit, outcome: 'refused', errorCode: 'ERR_DESK_NOT_ACTIVATED' });
    problems.add({ field: 'password', kind: 'account', code: 'ERR_DESK_NOT_ACTIVATED' });
    return { ok: false, problems };
  }
  await recordAttempt(ctx, unitCode, idNumber, account.id, 'success', clientIp);
  await writeAudit(ctx, { ...audit, outcome: 'success' });
  return { ok: true, sessionToken: await createDeskSession(ctx, account.id) };
}
