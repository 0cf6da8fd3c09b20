/**
 * The unit's filing history: filings joined with their submission (receipt number, signer, signature
 * format), filtered by person, kind, state and the Taipei days they were received, newest first.
 */
import { sql, type Kysely } from 'kysely';
import type { FilingState, HistoryEntry } from '../../../../shared/portal/queriesApi.ts';
import type { FilingKind } from '../../../../shared/filings/labels.ts';
import type { Database } from '../../db/schema.ts';
import { maskIdNumber } from '../mask.ts';
import { containsPattern, taipeiDayRange } from './filters.ts';

export interface HistoryFilter {
  unitId: string;
  idNumber?: string | undefined;
  name?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  kind?: FilingKind | undefined;
  state?: FilingState | undefined;
}

function matching(db: Kysely<Database>, filter: HistoryFilter) {
  const { fromInstant, beforeInstant } = taipeiDayRange(filter.from, filter.to);
  let query = db
    .selectFrom('filings as f')
    .innerJoin('submissions as s', 's.id', 'f.submission_id')
    .where('f.unit_id', '=', filter.unitId);
  if (filter.idNumber) query = query.where('f.id_number', '=', filter.idNumber);
  if (filter.name)
    query = query.where(sql<boolean>`lower(f.person_name) like ${containsPattern(filter.name)} escape '\\'`);
  if (filter.kind) query = query.where('f.kind', '=', filter.kind);
  if (filter.state) query = query.where('f.state', '=', filter.state);
  if (fromInstant) query = query.where('s.received_at', '>=', fromInstant);
  if (beforeInstant) query = query.where('s.received_at', '<', beforeInstant);
  return query;
}

export async function countHistory(db: Kysely<Database>, filter: HistoryFilter): Promise<number> {
  const row = await matching(db, filter)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function historyEntries(
  db: Kysely<Database>,
  filter: HistoryFilter,
  limit: number,
  offset: number,
): Promise<Array<{ entry: HistoryEntry; idNumber: string }>> {
  const rows = await matching(db, filter)
    .select([
      'f.id',
      'f.submission_id',
      'f.seq',
      'f.kind',
      'f.id_number',
      'f.person_name',
      'f.effective_date',
      'f.state',
      'f.late',
      'f.issues',
      's.receipt_no',
      's.received_at',
      's.signer_kind',
      's.signer_label',
      's.signature_format',
    ])
    .orderBy('s.received_at', 'desc')
    .orderBy('f.submission_id', 'desc')
    .orderBy('f.seq')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    idNumber: r.id_number,
    entry: {
      id: r.id,
      submissionId: r.submission_id,
      receiptNo: r.receipt_no,
      seq: r.seq,
      kind: r.kind,
      idMasked: maskIdNumber(r.id_number),
      ...(r.person_name !== null ? { personName: r.person_name } : {}),
      ...(r.effective_date !== null ? { effectiveDate: r.effective_date } : {}),
      state: r.state,
      late: Number(r.late) === 1,
      issues: parseIssues(r.issues),
      receivedAt: r.received_at,
      signer: { kind: r.signer_kind, label: r.signer_label },
      signatureFormat: r.signature_format,
    },
  }));
}

/** The stored issues (JSON written by processing); anything unreadable shows as none. */
function parseIssues(text: string): HistoryEntry['issues'] {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((i: unknown) => {
      const issue = i as { field?: unknown; code?: unknown; severity?: unknown };
      return typeof issue.field === 'string' && typeof issue.code === 'string'
        ? [
            {
              field: issue.field,
              code: issue.code,
              severity: typeof issue.severity === 'string' ? issue.severity : 'error',
            },
          ]
        : [];
    });
  } catch {
    return [];
  }
}
