/**
 * Clerks (經辦人) of a unit: assigned by the unit with a citizen (MOICA) certificate or an NHI card
 * number, at most PORTAL_MAX_CLERKS active ones, revoked at once (their sessions end).
 */
import { VerificationError } from '../../../shared/authtoken/errors.ts';
import { describeCertificate, type CertificateInfo } from '../../../shared/pki/certificateInfo.ts';
import * as rules from '../../../shared/fields/rules.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { acceptField } from '../../../shared/portal/fieldErrors.ts';
import { checkNationalId } from '../../../shared/tw/nationalId.ts';
import { ACTIVE } from '../db/partialIndexes.ts';
import type { Clerk, Unit } from '../db/schema.ts';
import type { AddClerkBody, SubjectView } from '../../../shared/portal/api.ts';
import type { AuditScope } from './audit.ts';
import { iso, within, type PortalContext } from './context.ts';
import { newId } from './ids.ts';
import { certificateSubject, maskCardNumber, nhiSubject } from './mask.ts';
import { notify } from './notify.ts';
import { fingerprintOf, portalErrorFromVerification, type VerifiedProof } from './proofs.ts';
import { endClerkSessions } from './sessions.ts';
import { acceptUnitCode, activeRegistration, findUnitByCode, findUnitById } from './units.ts';

export async function listClerks(ctx: PortalContext, unit: Unit): Promise<Clerk[]> {
  return ctx.db.selectFrom('clerks').selectAll().where('unit_id', '=', unit.id).orderBy('id').execute();
}

export async function countActiveClerks(ctx: PortalContext, unitId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('clerks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('unit_id', '=', unitId)
    .where('status', '=', ACTIVE)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface NewClerkCredential {
  kind: Clerk['kind'];
  key: string;
  label: string;
  displayName: string;
  idLast4: string | null;
  subject: string;
}

function certificateCredential(ctx: PortalContext, base64: string): NewClerkCredential {
  const der = Buffer.from(base64, 'base64');
  let info: CertificateInfo;
  try {
    info = describeCertificate(der);
  } catch {
    throw new PortalError('ERR_PORTAL_BAD_REQUEST', { field: 'certificate', detail: 'not a certificate' });
  }
  if (!ctx.trust) throw new PortalError('ERR_PORTAL_CERT_UNTRUSTED', { field: 'certificate' });
  try {
    ctx.trust.validate(der, { now: ctx.clock() });
  } catch (error) {
    if (error instanceof VerificationError) throw portalErrorFromVerification(error, 'certificate');
    throw error;
  }
  if (info.family !== 'MOICA') {
    throw new PortalError('ERR_PORTAL_CERT_NOT_PERSON', {
      field: 'certificate',
      detail: `family ${info.family}`,
    });
  }
  if (!info.keyUsage.includes('digitalSignature')) {
    throw new PortalError('ERR_PORTAL_CERT_KEY_USAGE', { field: 'certificate' });
  }
  return {
    kind: 'certificate',
    key: fingerprintOf(der),
    label: info.serialNumber,
    displayName: info.subject.commonName,
    idLast4: info.subject.idLast4 ?? null,
    subject: certificateSubject(info.family, info.serialNumber),
  };
}

async function nhiCardCredential(
  ctx: PortalContext,
  body: Extract<AddClerkBody, { kind: 'nhi-card' }>,
): Promise<NewClerkCredential> {
  if (!checkNationalId(body.idNumber).valid)
    throw new PortalError('ERR_PORTAL_INVALID_ID_NUMBER', { field: 'idNumber' });
  const card = await ctx.db
    .selectFrom('nhi_cards')
    .selectAll()
    .where('card_number', '=', body.cardNumber)
    .executeTakeFirst();
  if (!card) throw new PortalError('ERR_PORTAL_NHI_CARD_UNKNOWN', { field: 'cardNumber' });
  if (card.holder_id !== body.idNumber)
    throw new PortalError('ERR_PORTAL_NHI_CARD_MISMATCH', { field: 'idNumber' });
  return {
    kind: 'nhi-card',
    key: body.cardNumber,
    label: maskCardNumber(body.cardNumber),
    displayName: acceptField(rules.personName(body.name), 'name'),
    idLast4: body.idNumber.slice(-4),
    subject: nhiSubject(body.cardNumber),
  };
}

export async function addClerk(
  ctx: PortalContext,
  unit: Unit,
  body: AddClerkBody,
  scope: AuditScope,
): Promise<Clerk> {
  const email = body.email === undefined ? null : acceptField(rules.email(body.email), 'email');
  const credential =
    body.kind === 'certificate'
      ? certificateCredential(ctx, body.certificate)
      : await nhiCardCredential(ctx, body);
  scope.detail = `clerk ${credential.subject}`;
  const clerk: Clerk = {
    id: newId(ctx.clock()),
    unit_id: unit.id,
    kind: credential.kind,
    credential_key: credential.key,
    credential_label: credential.label,
    display_name: credential.displayName,
    id_last4: credential.idLast4,
    email,
    status: 'active',
    created_at: iso(ctx.clock()),
    revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (ctx.dbKind === 'postgres') {
      // Serialise clerk changes of one unit, so the limit holds under concurrency.
      await trx.selectFrom('units').select('id').where('id', '=', unit.id).forUpdate().execute();
    }
    const duplicate = await trx
      .selectFrom('clerks')
      .select('id')
      .where('unit_id', '=', unit.id)
      .where('credential_key', '=', credential.key)
      .where('status', '=', ACTIVE)
      .executeTakeFirst();
    if (duplicate) throw new PortalError('ERR_PORTAL_CLERK_DUPLICATE');
    const count = await trx
      .selectFrom('clerks')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('unit_id', '=', unit.id)
      .where('status', '=', ACTIVE)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= ctx.config.maxClerks) {
      throw new PortalError('ERR_PORTAL_CLERK_LIMIT', { detail: `limit ${ctx.config.maxClerks}` });
    }
    await trx.insertInto('clerks').values(clerk).execute();
    // The clerk, its audit row and its mail commit together or not at all.
    await mailUnit(within(ctx, trx), unit, 'clerk-added', clerk, clerk.created_at);
    await scope.recordSuccess?.(trx);
  });
  return clerk;
}

async function mailUnit(
  ctx: PortalContext,
  unit: Unit,
  event: 'clerk-added' | 'clerk-revoked',
  clerk: Clerk,
  time: string,
) {
  const registration = await activeRegistration(ctx, unit.id);
  const params = {
    unitName: unit.name,
    unitCode: unit.unit_code,
    time,
    clerkName: clerk.display_name,
    credential: clerk.credential_label,
  };
  await notify(ctx, event, registration?.contact_email ?? unit.contact_email, params);
  // The clerk hears of it too, at their own address when the unit gave one.
  if (clerk.email) await notify(ctx, `${event}-notice`, clerk.email, params);
}

export async function revokeClerk(
  ctx: PortalContext,
  unit: Unit,
  clerkId: string,
  scope: AuditScope,
): Promise<Clerk> {
  const now = iso(ctx.clock());
  const clerk = await ctx.db
    .selectFrom('clerks')
    .selectAll()
    .where('id', '=', clerkId)
    .where('unit_id', '=', unit.id)
    .executeTakeFirst();
  if (!clerk || clerk.status !== 'active') throw new PortalError('ERR_PORTAL_CLERK_NOT_FOUND');
  scope.detail = `clerk ${clerk.kind}:${clerk.credential_label}`;
  const revoked: Clerk = { ...clerk, status: 'revoked', revoked_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('clerks')
      .set({ status: 'revoked', revoked_at: now })
      .where('id', '=', clerk.id)
      .where('status', '=', ACTIVE)
      .executeTakeFirst();
    // Revoked meanwhile by another request: that one has the audit row and the mail.
    if (Number(result.numUpdatedRows) !== 1) throw new PortalError('ERR_PORTAL_CLERK_NOT_FOUND');
    const tctx = within(ctx, trx);
    await endClerkSessions(tctx, clerk.id);
    await mailUnit(tctx, unit, 'clerk-revoked', revoked, now);
    await scope.recordSuccess?.(trx);
  });
  return revoked;
}

/** The clerk assignment a verified personal proof logs in with, and the subject shown. */
export async function clerkForProof(
  ctx: PortalContext,
  proof: VerifiedProof,
  unitCode: string | undefined,
  scope: AuditScope,
): Promise<{ clerk: Clerk; unit: Unit; subject: SubjectView }> {
  let key: string;
  if (proof.kind === 'certificate') {
    if (proof.info.family !== 'MOICA') {
      throw new PortalError('ERR_PORTAL_CERT_NOT_PERSON', {
        field: 'proof.token',
        detail: `family ${proof.info.family}`,
      });
    }
    key = proof.fingerprint;
  } else {
    key = proof.card.card_number;
  }
  let rows = await ctx.db.selectFrom('clerks').selectAll().where('credential_key', '=', key).execute();
  if (unitCode !== undefined) {
    unitCode = acceptUnitCode(ctx, unitCode);
    scope.unitCode = unitCode;
    const unit = await findUnitByCode(ctx, unitCode);
    rows = rows.filter((r) => r.unit_id === unit?.id);
  }
  const active = rows.filter((r) => r.status === 'active');
  if (active.length === 0) {
    throw new PortalError(rows.length > 0 ? 'ERR_PORTAL_CLERK_REVOKED' : 'ERR_PORTAL_CLERK_NOT_ASSIGNED');
  }
  if (active.length > 1) throw new PortalError('ERR_PORTAL_UNIT_CODE_REQUIRED', { field: 'unitCode' });
  const clerk = active[0]!;
  const unit = await findUnitById(ctx, clerk.unit_id);
  scope.unitCode = unit.unit_code;
  if (!(await activeRegistration(ctx, unit.id))) throw new PortalError('ERR_PORTAL_UNIT_NOT_REGISTERED');
  const subject: SubjectView =
    proof.kind === 'certificate'
      ? { kind: 'certificate', name: proof.info.subject.commonName, credential: proof.info.serialNumber }
      : {
          kind: 'nhi-card',
          name: proof.card.holder_name,
          credential: maskCardNumber(proof.card.card_number),
        };
  return { clerk, unit, subject };
}
