/**
 * The query services behind the routes (routes/queries.ts): roster and history pages, their CSV
 * exports, and the reveal of one full ID number. Every read is limited to the session's unit.
 */
import type {
  HistoryEntry,
  HistoryExportQuery,
  HistoryQuery,
  RevealBody,
  RosterExportQuery,
  RosterQuery,
} from '../../../../shared/portal/queriesApi.ts';
import { MAX_EXPORT_ROWS } from '../../../../shared/portal/queriesApi.ts';
import { PortalError } from '../../../../shared/portal/errors.ts';
import { formatClerkDate } from '../../../../shared/tw/clerkDate.ts';
import { taipeiDate, taipeiNow } from '../../../../shared/tw/taipeiTime.ts';
import {
  exportLabel,
  fieldHeader,
  kindLabel,
  relationshipLabel,
  valueLabel,
} from '../../i18n/queryExports.ts';
import type { PortalContext } from '../context.ts';
import { maskIdNumber } from '../mask.ts';
import { csvDocument } from './csv.ts';
import { idNumberFilter, paging, realDate } from './filters.ts';
import { countHistory, historyEntries, type HistoryFilter } from './history.ts';
import { countRoster, rosterEntries, type RosterFilter } from './roster.ts';

/** What the reads need: the database, and the clock for "today". */
type QueryContext = Pick<PortalContext, 'db' | 'clock'>;

/** Rows read per round while exporting (keeps the dependants' IN list far below parameter limits). */
const EXPORT_CHUNK = 1_000;

const day = (iso: string | undefined) => (iso ? formatClerkDate(iso, 'gregorian') : '');
const instant = (iso: string) => {
  const t = taipeiNow(new Date(iso));
  return `${formatClerkDate(t.date, 'gregorian')} ${t.time}`;
};

function rosterFilter(ctx: QueryContext, unitId: string, query: { asOf?: string; q?: string }): RosterFilter {
  return {
    unitId,
    asOf: realDate(query.asOf, 'asOf') ?? taipeiDate(ctx.clock()),
    q: query.q,
  };
}

function historyFilter(unitId: string, query: HistoryExportQuery | HistoryQuery): HistoryFilter {
  const from = realDate(query.from, 'from');
  const to = realDate(query.to, 'to');
  if (from && to && from > to)
    throw new PortalError('ERR_PORTAL_INVALID_DATE', { field: 'to', detail: 'to before from' });
  return {
    unitId,
    idNumber: idNumberFilter(query.idNumber, 'idNumber'),
    name: query.name,
    from,
    to,
    kind: query.kind,
    state: query.state,
  };
}

export async function rosterPage(ctx: QueryContext, unitId: string, query: RosterQuery) {
  const filter = rosterFilter(ctx, unitId, query);
  const { page, pageSize, offset } = paging(query.page, query.pageSize);
  const [total, rows] = await Promise.all([
    countRoster(ctx.db, filter),
    rosterEntries(ctx.db, filter, pageSize, offset),
  ]);
  return { asOf: filter.asOf, page, pageSize, total, persons: rows.map((r) => r.entry) };
}

export async function historyPage(ctx: QueryContext, unitId: string, query: HistoryQuery) {
  const filter = historyFilter(unitId, query);
  const { page, pageSize, offset } = paging(query.page, query.pageSize);
  const [total, rows] = await Promise.all([
    countHistory(ctx.db, filter),
    historyEntries(ctx.db, filter, pageSize, offset),
  ]);
  return { page, pageSize, total, filings: rows.map((r) => r.entry) };
}

/** Reads chunk after chunk until the end or MAX_EXPORT_ROWS. */
async function allRows<T>(read: (limit: number, offset: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  while (rows.length < MAX_EXPORT_ROWS) {
    const chunk = await read(Math.min(EXPORT_CHUNK, MAX_EXPORT_ROWS - rows.length), rows.length);
    rows.push(...chunk);
    if (chunk.length < EXPORT_CHUNK) break;
  }
  return rows;
}

export interface CsvExport {
  file: Buffer;
  fileName: string;
  rows: number;
}

/** One line per insured person, then one per dependant under them. */
export async function rosterCsv(
  ctx: PortalContext,
  unitId: string,
  query: RosterExportQuery,
): Promise<CsvExport> {
  const filter = rosterFilter(ctx, unitId, query);
  const full = query.idNumbers === 'full';
  const shown = (id: string) => (full ? id : maskIdNumber(id));
  const persons = await allRows((limit, offset) => rosterEntries(ctx.db, filter, limit, offset));
  const header = [
    exportLabel('row'),
    fieldHeader('idNumber'),
    fieldHeader('name'),
    fieldHeader('birthDate'),
    exportLabel('scheme'),
    fieldHeader('insuredAmount'),
    fieldHeader('labourInsuredSalary'),
    fieldHeader('insuredIdNumber'),
    fieldHeader('relationship'),
    exportLabel('fromDate'),
    exportLabel('toDate'),
  ];
  const lines: Array<Array<string | number | null>> = [];
  for (const { period, dependants } of persons) {
    lines.push([
      valueLabel('insured'),
      shown(period.id_number),
      period.name,
      day(period.birth_date),
      valueLabel(period.scheme),
      period.insured_amount,
      period.labour_insured_salary,
      '',
      '',
      day(period.from_date),
      day(period.to_date ?? undefined),
    ]);
    for (const d of dependants) {
      lines.push([
        valueLabel('dependant'),
        shown(d.id_number),
        d.name,
        day(d.birth_date),
        '',
        '',
        '',
        shown(d.insured_id_number),
        relationshipLabel(d.relationship),
        day(d.from_date),
        day(d.to_date ?? undefined),
      ]);
    }
  }
  return { file: csvDocument(header, lines), fileName: `roster-${filter.asOf}.csv`, rows: lines.length };
}

export async function historyCsv(
  ctx: PortalContext,
  unitId: string,
  query: HistoryExportQuery,
): Promise<CsvExport> {
  const filter = historyFilter(unitId, query);
  const full = query.idNumbers === 'full';
  const rows = await allRows((limit, offset) => historyEntries(ctx.db, filter, limit, offset));
  const header = [
    exportLabel('receiptNo'),
    exportLabel('receivedAt'),
    fieldHeader('kind'),
    fieldHeader('idNumber'),
    fieldHeader('name'),
    exportLabel('effectiveDate'),
    exportLabel('state'),
    exportLabel('late'),
    exportLabel('issues'),
    exportLabel('signer'),
    exportLabel('submissionId'),
  ];
  const line = ({ entry, idNumber }: { entry: HistoryEntry; idNumber: string }) => [
    entry.receiptNo,
    instant(entry.receivedAt),
    kindLabel(entry.kind),
    full ? idNumber : entry.idMasked,
    entry.personName ?? '',
    day(entry.effectiveDate),
    valueLabel(entry.state),
    entry.late ? valueLabel('yes') : '',
    entry.issues.map((i) => `${i.field}:${i.code}`).join(' '),
    entry.signer.label,
    entry.submissionId,
  ];
  const today = taipeiDate(ctx.clock());
  return { file: csvDocument(header, rows.map(line)), fileName: `filings-${today}.csv`, rows: rows.length };
}

/** The full ID number behind one masked entry of this unit; another unit's row is not found. */
export async function revealIdNumber(ctx: PortalContext, unitId: string, body: RevealBody): Promise<string> {
  const table =
    body.source === 'insured'
      ? 'insured_periods'
      : body.source === 'dependant'
        ? 'dependant_periods'
        : 'filings';
  const row = await ctx.db
    .selectFrom(table)
    .select('id_number')
    .where('id', '=', body.id)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  if (!row)
    throw new PortalError('ERR_PORTAL_RECORD_NOT_FOUND', {
      field: 'id',
      detail: `${body.source} ${body.id}`,
    });
  return row.id_number;
}
