/**
 * Writes filings rows straight into the portal's tables (submissions, filings, insured and dependant
 * periods) as the processing job leaves them, so the query tests and the bench do not depend on
 * submission and processing. Valid ID numbers are made with their check digit.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, FilingTable, InsuredPeriodTable } from '../../../portal/src/db/schema.ts';
import { newId } from '../../../portal/src/services/ids.ts';

const LETTER_CODES = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** A citizen ID number: a letter, then 8 digits (first 1 or 2), and the check digit that makes it valid. */
export function validIdNumber(letter: string, eightDigits: string): string {
  const code = LETTER_CODES.indexOf(letter) + 10;
  const digits = [Math.floor(code / 10), code % 10, ...eightDigits.split('').map(Number)];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const sum = digits.reduce((s, d, i) => s + d * weights[i]!, 0);
  return `${letter}${eightDigits}${(10 - (sum % 10)) % 10}`;
}

/** The n-th test person's ID number (n < 10^7), all valid and distinct. */
export const personId = (n: number, letter = 'A') => validIdNumber(letter, `1${String(n).padStart(7, '0')}`);

export async function unitIdOf(db: Kysely<Database>, unitCode: string): Promise<string> {
  const row = await db
    .selectFrom('units')
    .select('id')
    .where('unit_code', '=', unitCode)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface InsuredSeed {
  unitId: string;
  idNumber: string;
  name: string;
  from: string;
  to?: string;
  endReason?: string;
  insuredAmount?: number;
  scheme?: 'nhi' | 'joint';
  birthDate?: string;
}

export function insuredRow(seed: InsuredSeed, id = newId(new Date())): InsuredPeriodTable {
  return {
    id,
    unit_id: seed.unitId,
    id_number: seed.idNumber,
    name: seed.name,
    birth_date: seed.birthDate ?? '1990-01-15',
    scheme: seed.scheme ?? 'nhi',
    insured_amount: seed.insuredAmount ?? 30_300,
    labour_insured_salary: seed.scheme === 'joint' ? 30_300 : null,
    employer_pension_percent: seed.scheme === 'joint' ? 6 : null,
    employee_pension_percent: seed.scheme === 'joint' ? 0 : null,
    from_date: seed.from,
    to_date: seed.to ?? null,
    end_reason: seed.endReason ?? (seed.to ? 'W01' : null),
    opened_by: 'seed',
    closed_by: seed.to ? 'seed' : null,
  };
}

export async function seedInsured(db: Kysely<Database>, seed: InsuredSeed): Promise<string> {
  const row = insuredRow(seed);
  await db.insertInto('insured_periods').values(row).execute();
  return row.id;
}

export interface DependantSeed {
  unitId: string;
  insuredIdNumber: string;
  idNumber: string;
  name: string;
  relationship?: string;
  from: string;
  to?: string;
}

export async function seedDependant(db: Kysely<Database>, seed: DependantSeed): Promise<string> {
  const id = newId(new Date());
  await db
    .insertInto('dependant_periods')
    .values({
      id,
      unit_id: seed.unitId,
      insured_id_number: seed.insuredIdNumber,
      id_number: seed.idNumber,
      name: seed.name,
      birth_date: '2015-05-05',
      relationship: seed.relationship ?? 'R02',
      from_date: seed.from,
      to_date: seed.to ?? null,
      end_reason: seed.to ? 'DW05' : null,
      opened_by: 'seed',
      closed_by: seed.to ? 'seed' : null,
    })
    .execute();
  return id;
}

export interface FilingSeed {
  kind: FilingTable['kind'];
  idNumber: string;
  name?: string;
  effectiveDate?: string;
  state?: FilingTable['state'];
  late?: boolean;
  issues?: Array<{ field: string; code: string; severity: string }>;
}

export interface SubmissionSeed {
  unitId: string;
  clerkId: string;
  receivedAt: string;
  receiptNo: string;
  signerLabel?: string;
  filings: FilingSeed[];
}

/** A processed (or received) submission with its filings; returns the ids. */
export async function seedSubmission(db: Kysely<Database>, seed: SubmissionSeed) {
  const submissionId = newId(new Date(seed.receivedAt));
  const content = JSON.stringify({ filings: seed.filings.map((f) => f.idNumber) });
  const states = seed.filings.map((f) => f.state ?? 'accepted');
  await db
    .insertInto('submissions')
    .values({
      id: submissionId,
      receipt_no: seed.receiptNo,
      unit_id: seed.unitId,
      clerk_id: seed.clerkId,
      signer_kind: 'certificate',
      signer_label: seed.signerLabel ?? '王大明 TEST',
      content,
      content_sha256: createHash('sha256').update(content).digest('hex'),
      signature_format: 'cms',
      signature: 'AAAA',
      submitted_at: seed.receivedAt,
      received_at: seed.receivedAt,
      filing_count: seed.filings.length,
      state: states.includes('received') ? 'received' : 'processed',
      accepted_count: states.filter((s) => s === 'accepted').length,
      rejected_count: states.filter((s) => s === 'rejected').length,
      processed_at: states.includes('received') ? null : seed.receivedAt,
      claimed_until: null,
    })
    .execute();
  const filingIds: string[] = [];
  for (const [i, f] of seed.filings.entries()) {
    const id = newId(new Date(seed.receivedAt));
    filingIds.push(id);
    await db
      .insertInto('filings')
      .values({
        id,
        submission_id: submissionId,
        seq: i + 1,
        unit_id: seed.unitId,
        kind: f.kind,
        id_number: f.idNumber,
        person_name: f.name ?? null,
        effective_date: f.effectiveDate ?? null,
        data: JSON.stringify({ kind: f.kind, idNumber: f.idNumber }),
        state: f.state ?? 'accepted',
        issues: JSON.stringify(f.issues ?? []),
        late: f.late ? 1 : 0,
        processed_at: f.state === 'received' ? null : seed.receivedAt,
      })
      .execute();
  }
  return { submissionId, filingIds };
}

/** Empties the filings tables (PostgreSQL keeps one database per test file; units cannot go first). */
export async function clearFilings(db: Kysely<Database>): Promise<void> {
  for (const table of ['dependant_periods', 'insured_periods', 'filings', 'submissions'] as const) {
    await db.deleteFrom(table).execute();
  }
}
