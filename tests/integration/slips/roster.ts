/**
 * Test data for the slip tests: extra TEST units, roster periods (as the filings processor would
 * leave them, written directly) and confirmed subscriptions, on any backend.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, Unit } from '../../../portal/src/db/schema.ts';
import type { ReceivedMail } from '../../../lab/smtp.ts';

/** Adds `count` TEST units (codes 9000000NN…), each with `people` insured persons from 2025-01-01. */
export async function addUnits(
  db: Kysely<Database>,
  count: number,
  options: { people?: number; cycle?: 'monthly' | 'bimonthly'; prefix?: string } = {},
): Promise<Unit[]> {
  const units: Unit[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const code = `${options.prefix ?? '9'}${String(i).padStart(8, '0')}`;
    await db
      .insertInto('units')
      .values({
        id,
        unit_code: code,
        name: `TEST 卡橋派送測試 ${i} 號公司`,
        ubn: null,
        organization_id: null,
        responsible_id: 'A123456789',
        responsible_name: '王大明',
        contact_email: `hr${i}@units.example.test`,
        created_at: '2025-01-01T00:00:00.000Z',
        billing_cycle: options.cycle ?? 'monthly',
      })
      .execute();
    for (let p = 0; p < (options.people ?? 2); p++) {
      await addInsured(db, id, {
        idNumber: `A1${String(i % 1000).padStart(3, '0')}${String(p).padStart(5, '0')}`,
        name: `員工${p} TEST`,
      });
    }
    units.push(await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }
  return units;
}

export async function addInsured(
  db: Kysely<Database>,
  unitId: string,
  person: { idNumber: string; name: string; amount?: number; from?: string; to?: string },
): Promise<void> {
  await db
    .insertInto('insured_periods')
    .values({
      id: randomUUID(),
      unit_id: unitId,
      id_number: person.idNumber,
      name: person.name,
      birth_date: '1990-01-01',
      scheme: 'nhi',
      insured_amount: person.amount ?? 45_800,
      labour_insured_salary: null,
      employer_pension_percent: null,
      employee_pension_percent: null,
      from_date: person.from ?? '2025-01-01',
      to_date: person.to ?? null,
      end_reason: person.to ? 'withdraw' : null,
      opened_by: 'test',
      closed_by: null,
    })
    .execute();
}

/** A confirmed subscription, as if the clerk had used the link. */
export async function subscribe(db: Kysely<Database>, unitId: string, email: string): Promise<void> {
  await db
    .insertInto('slip_subscriptions')
    .values({
      unit_id: unitId,
      email,
      confirmed_at: '2026-11-01T00:00:00.000Z',
      pending_email: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      cancelled_at: null,
      updated_at: '2026-11-01T00:00:00.000Z',
    })
    .execute();
}

/** The text pdftotext reads from a PDF. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'cardbridge-slip-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first PDF attachment of a received mail (base64 part). */
export function attachmentOf(mail: ReceivedMail): Buffer {
  const match = /Content-Type: application\/pdf[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(mail.raw);
  if (!match?.[1]) throw new Error('no PDF attachment');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}
