/**
 * Insured units and their registration (單位註冊): which unit a proof stands for, registering,
 * cancelling. A unit acts through a unit-family certificate (MOEACA by 統一編號, GCA / XCA by
 * organisation id) or through its responsible person's NHI card (with the unit code).
 */
import { randomUUID } from 'node:crypto';
import { certificateLabel } from '../../../shared/pki/certificateLabel.ts';
import { isUnitFamily } from '../../../shared/pki/families.ts';
import * as rules from '../../../shared/fields/rules.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { acceptField } from '../../../shared/portal/fieldErrors.ts';
import { isValidUbn } from '../../../shared/tw/ubn.ts';
import { ACTIVE } from '../db/partialIndexes.ts';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import type { Registration, Unit } from '../db/schema.ts';
import type { SubjectView } from '../../../shared/portal/api.ts';
import type { AuditScope } from './audit.ts';
import { iso, within, type PortalContext } from './context.ts';
import { maskCardNumber } from './mask.ts';
import { notify } from './notify.ts';
import type { VerifiedProof } from './proofs.ts';

/** A unit's row with the id of its active registration (null when it has none). */
type UnitRow = Unit & { registration_id: string | null };

/**
 * Every login reads its unit and whether the unit is registered: one statement (a round trip to
 * PostgreSQL less than two), compiled once (../db/preparedQuery.ts). At most one active
 * registration per unit (a unique index), so at most one row.
 */
const unitWhere = (column: 'unit_code' | 'ubn' | 'organization_id') =>
  prepareQuery((db, p: Placeholder<{ value: string }>) =>
    db
      .selectFrom('units')
      .leftJoin('registrations', (join) =>
        join.onRef('registrations.unit_id', '=', 'units.id').on('registrations.status', '=', ACTIVE),
      )
      .selectAll('units')
      .select('registrations.id as registration_id')
      .where(`units.${column}`, '=', p('value')),
  );

/** The unit's own row, without its registration's id. */
function unitOf(row: UnitRow): Unit {
  const { registration_id: _registration, ...unit } = row;
  return unit;
}
const unitByCode = unitWhere('unit_code');
const unitByUbn = unitWhere('ubn');
const unitByOrganizationId = unitWhere('organization_id');
const registrationOf = prepareQuery((db, p: Placeholder<{ unitId: string }>) =>
  db.selectFrom('registrations').selectAll().where('unit_id', '=', p('unitId')).where('status', '=', ACTIVE),
);

export async function findUnitByCode(ctx: PortalContext, unitCode: string): Promise<Unit | undefined> {
  const row = await unitByCode.first(ctx.db, { value: unitCode });
  return row && unitOf(row);
}

export async function findUnitById(ctx: PortalContext, id: string): Promise<Unit> {
  return ctx.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function activeRegistration(
  ctx: PortalContext,
  unitId: string,
): Promise<Registration | undefined> {
  return registrationOf.first(ctx.db, { unitId });
}

/** The unit code as the field rule normalises it (trimmed, NFC), in the configured format. */
export function acceptUnitCode(ctx: PortalContext, unitCode: string, field = 'unitCode'): string {
  return acceptField(rules.unitCode(unitCode, ctx.config.unitCodePattern), field);
}

/**
 * The unit a verified proof acts for. Certificates: a unit-family certificate whose 統一編號 or
 * organisation id is on record (a given unitCode must agree). NHI cards: the unit of `unitCode`, whose
 * responsible person must be the card's holder.
 */
export async function unitForProof(
  ctx: PortalContext,
  proof: VerifiedProof,
  unitCode: string | undefined,
  scope: AuditScope,
): Promise<Unit> {
  return unitOf(await provenUnit(ctx, proof, unitCode, scope));
}

/** unitForProof for a login: the unit must also be registered (ERR_PORTAL_UNIT_NOT_REGISTERED). */
export async function registeredUnitForProof(
  ctx: PortalContext,
  proof: VerifiedProof,
  unitCode: string | undefined,
  scope: AuditScope,
): Promise<Unit> {
  const row = await provenUnit(ctx, proof, unitCode, scope);
  if (row.registration_id === null) throw new PortalError('ERR_PORTAL_UNIT_NOT_REGISTERED');
  return unitOf(row);
}

async function provenUnit(
  ctx: PortalContext,
  proof: VerifiedProof,
  unitCode: string | undefined,
  scope: AuditScope,
): Promise<UnitRow> {
  if (unitCode !== undefined) unitCode = acceptUnitCode(ctx, unitCode);
  if (proof.kind === 'certificate') {
    const { family, subject } = proof.info;
    if (!isUnitFamily(family)) {
      throw new PortalError('ERR_PORTAL_CERT_NOT_UNIT', { field: 'proof.token', detail: `family ${family}` });
    }
    let unit: UnitRow | undefined;
    if (family === 'MOEACA') {
      if (!subject.ubn || !isValidUbn(subject.ubn)) {
        throw new PortalError('ERR_PORTAL_INVALID_UBN', {
          field: 'proof.token',
          detail: `certificate UBN ${subject.ubn ?? 'missing'}`,
        });
      }
      unit = await unitByUbn.first(ctx.db, { value: subject.ubn });
    } else if (subject.organizationId) {
      unit = await unitByOrganizationId.first(ctx.db, { value: subject.organizationId });
    }
    if (!unit) {
      throw new PortalError('ERR_PORTAL_UNIT_UNKNOWN', {
        detail: `no unit for ${family} ${subject.ubn ?? subject.organizationId ?? '(no id)'}`,
      });
    }
    scope.unitCode = unit.unit_code;
    if (unitCode !== undefined && unitCode !== unit.unit_code) {
      throw new PortalError('ERR_PORTAL_UNIT_MISMATCH', { field: 'unitCode' });
    }
    return unit;
  }
  if (unitCode === undefined) throw new PortalError('ERR_PORTAL_UNIT_CODE_REQUIRED', { field: 'unitCode' });
  scope.unitCode = unitCode;
  const unit = await unitByCode.first(ctx.db, { value: unitCode });
  if (!unit) throw new PortalError('ERR_PORTAL_UNIT_UNKNOWN', { field: 'unitCode' });
  if (unit.responsible_id !== proof.card.holder_id)
    throw new PortalError('ERR_PORTAL_NOT_RESPONSIBLE_PERSON');
  return unit;
}

/** How a unit-role subject is shown. */
export function unitSubject(proof: VerifiedProof): SubjectView {
  if (proof.kind === 'certificate') {
    return { kind: 'certificate', name: proof.info.subject.commonName, credential: proof.info.serialNumber };
  }
  return {
    kind: 'nhi-card',
    name: proof.card.holder_name,
    credential: maskCardNumber(proof.card.card_number),
  };
}

/**
 * The credential as a clerk knows it, for mails: 「某某公司 · 經濟部工商憑證管理中心 (MOEACA)（序號 1009）」
 * or 「健保卡 0000****5678」, never a family code with a number.
 */
function credentialText(proof: VerifiedProof, credential: string): Record<'zh-TW' | 'en', string> {
  if (proof.kind === 'certificate') {
    return {
      'zh-TW': `${certificateLabel(proof.info, 'zh-TW')}（序號 ${credential}）`,
      en: `${certificateLabel(proof.info, 'en')} (serial ${credential})`,
    };
  }
  return { 'zh-TW': `健保卡 ${credential}`, en: `NHI card ${credential}` };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint/i.test(String(e.message))
  );
}

export async function registerUnit(
  ctx: PortalContext,
  proof: VerifiedProof,
  unitCode: string | undefined,
  email: string | undefined,
  scope: AuditScope,
): Promise<{ unit: Unit; registration: Registration }> {
  const contactEmail = email === undefined ? undefined : acceptField(rules.email(email), 'email');
  const unit = await unitForProof(ctx, proof, unitCode, scope);
  if (await activeRegistration(ctx, unit.id)) throw new PortalError('ERR_PORTAL_ALREADY_REGISTERED');
  const registration: Registration = {
    id: randomUUID(),
    unit_id: unit.id,
    method: proof.kind,
    credential: unitSubject(proof).credential,
    contact_email: contactEmail ?? unit.contact_email,
    status: 'active',
    created_at: iso(ctx.clock()),
    cancelled_at: null,
  };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('registrations').values(registration).execute();
      await notify(within(ctx, trx), 'registration-approved', registration.contact_email, {
        unitName: unit.name,
        unitCode: unit.unit_code,
        time: registration.created_at,
        credential: credentialText(proof, registration.credential),
      });
      await scope.recordSuccess?.(trx);
    });
  } catch (error) {
    // Two registrations raced: the partial unique index lets only one in.
    if (isUniqueViolation(error))
      throw new PortalError('ERR_PORTAL_ALREADY_REGISTERED', { detail: 'concurrent registration' });
    throw error;
  }
  return { unit, registration };
}

/** Cancels the unit's registration: every clerk revoked, every session of the unit ended, mail sent. */
export async function cancelRegistration(
  ctx: PortalContext,
  unit: Unit,
  proof: VerifiedProof,
  scope: AuditScope,
): Promise<void> {
  let proven: Unit;
  try {
    proven = await unitForProof(ctx, proof, proof.kind === 'nhi-card' ? unit.unit_code : undefined, scope);
  } catch (error) {
    if (error instanceof PortalError && error.code !== 'ERR_PORTAL_CERT_NOT_UNIT') {
      throw new PortalError('ERR_PORTAL_CREDENTIAL_MISMATCH', { detail: error.code });
    }
    throw error;
  }
  scope.unitCode = unit.unit_code;
  if (proven.id !== unit.id) throw new PortalError('ERR_PORTAL_CREDENTIAL_MISMATCH');
  const now = iso(ctx.clock());
  const registration = await activeRegistration(ctx, unit.id);
  if (!registration) throw new PortalError('ERR_PORTAL_UNIT_NOT_REGISTERED');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('registrations')
      .set({ status: 'cancelled', cancelled_at: now })
      .where('id', '=', registration.id)
      .execute();
    await trx
      .updateTable('clerks')
      .set({ status: 'revoked', revoked_at: now })
      .where('unit_id', '=', unit.id)
      .where('status', '=', ACTIVE)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ ended_at: now })
      .where('unit_id', '=', unit.id)
      .where('ended_at', 'is', null)
      .execute();
    await notify(within(ctx, trx), 'registration-cancelled', registration.contact_email, {
      unitName: unit.name,
      unitCode: unit.unit_code,
      time: now,
    });
    await scope.recordSuccess?.(trx);
  });
}
