/**
 * The batch (媒體申報) layout as data, and rows → filings. CardBridge designed the layout (no
 * public NHI format exists; README.md documents it with an example): one header row with these
 * zh-TW column names, in any order, then one filing a row; a row uses the columns its filing kind
 * has and leaves the others empty. Decoding (UTF-8, Big5/CP950, .xlsx) happens before this: the
 * input is already-decoded rows of cell strings.
 */
import { Value } from '@sinclair/typebox/value';
import type { TObject } from '@sinclair/typebox';
import * as rules from '../fields/rules.ts';
import type { FieldResult } from '../fields/rules.ts';
import {
  DEPENDANT_ENROL_REASONS,
  DEPENDANT_WITHDRAWAL_REASONS,
  RELATIONSHIPS,
  WITHDRAWAL_REASONS,
  codeForLabel,
  type CodeEntry,
} from './codes.ts';
import type { Filing } from './contracts.ts';
import {
  AmountChangeFiling,
  CorrectionFiling,
  DependantEnrolFiling,
  DependantWithdrawFiling,
  EnrolFiling,
  MAX_FILINGS_PER_SUBMISSION,
  WithdrawFiling,
} from './contracts.ts';
import type { FilingIssueCode } from './errors.ts';
import {
  FIELD_LABELS,
  FILING_KIND_LABELS,
  FILING_KINDS,
  type FilingField,
  type FilingKind,
} from './labels.ts';

export type CellKind = 'kind' | 'scheme' | 'id' | 'name' | 'date' | 'month' | 'amount' | 'percent' | 'code';

export interface BatchColumn {
  field: FilingField;
  cell: CellKind;
}

/** The columns of the template, in the template's order; the header is FIELD_LABELS[field]['zh-TW']. */
export const BATCH_COLUMNS: readonly BatchColumn[] = [
  { field: 'kind', cell: 'kind' },
  { field: 'scheme', cell: 'scheme' },
  { field: 'idNumber', cell: 'id' },
  { field: 'name', cell: 'name' },
  { field: 'birthDate', cell: 'date' },
  { field: 'enrolmentDate', cell: 'date' },
  { field: 'insuredAmount', cell: 'amount' },
  { field: 'labourInsuredSalary', cell: 'amount' },
  { field: 'employerPensionPercent', cell: 'percent' },
  { field: 'employeePensionPercent', cell: 'percent' },
  { field: 'date', cell: 'date' },
  { field: 'reason', cell: 'code' },
  { field: 'insuredIdNumber', cell: 'id' },
  { field: 'relationship', cell: 'code' },
  { field: 'effectiveMonth', cell: 'month' },
  { field: 'payChangedMonth', cell: 'month' },
  { field: 'newIdNumber', cell: 'id' },
  { field: 'newName', cell: 'name' },
];

export function batchHeaderRow(): string[] {
  return BATCH_COLUMNS.map((c) => FIELD_LABELS[c.field]['zh-TW']);
}

/** The values of the 投保類別 column. */
export const SCHEME_CELLS: Readonly<Record<string, 'nhi' | 'joint'>> = { 健保: 'nhi', 勞健保: 'joint' };

/** Which fields a kind has and needs: read from its schema, so the layout cannot drift from the contract. */
const SCHEMA_BY_KIND: Record<FilingKind, TObject> = {
  enrol: EnrolFiling,
  withdraw: WithdrawFiling,
  'dependant-enrol': DependantEnrolFiling,
  'dependant-withdraw': DependantWithdrawFiling,
  'amount-change': AmountChangeFiling,
  correction: CorrectionFiling,
};

const REASONS_BY_KIND: Partial<Record<FilingKind, readonly CodeEntry<string>[]>> = {
  withdraw: WITHDRAWAL_REASONS,
  'dependant-enrol': DEPENDANT_ENROL_REASONS,
  'dependant-withdraw': DEPENDANT_WITHDRAWAL_REASONS,
};

/** A list code written as its code (W01) or as its zh-TW label (離職). */
function listCode(raw: string, entries: readonly CodeEntry<string>[]): FieldResult<string> {
  const byLabel = codeForLabel(entries, raw.trim());
  return byLabel !== undefined
    ? { ok: true, value: byLabel }
    : rules.code(
        raw,
        entries.map((e) => e.code),
      );
}

function parseKind(raw: string): FieldResult<FilingKind> {
  const text = raw.trim();
  const kind = FILING_KINDS.find((k) => k === text || FILING_KIND_LABELS[k]['zh-TW'] === text);
  if (kind !== undefined) return { ok: true, value: kind };
  return text === ''
    ? { ok: false, code: 'ERR_FIELD_REQUIRED' }
    : { ok: false, code: 'ERR_FIELD_CODE_UNKNOWN' };
}

function parseCell(column: BatchColumn, raw: string, kind: FilingKind): FieldResult<string | number> {
  switch (column.cell) {
    case 'scheme': {
      const scheme = SCHEME_CELLS[raw.trim()];
      return scheme ? { ok: true, value: scheme } : { ok: false, code: 'ERR_FIELD_CODE_UNKNOWN' };
    }
    case 'id':
      return rules.idNumber(raw);
    case 'name':
      return rules.personName(raw);
    case 'date':
      return rules.date(raw);
    case 'month':
      return rules.month(raw);
    case 'amount':
      return rules.amount(raw);
    case 'percent':
      return rules.percent(raw);
    case 'code':
      return listCode(raw, column.field === 'relationship' ? RELATIONSHIPS : (REASONS_BY_KIND[kind] ?? []));
    case 'kind':
      return parseKind(raw);
  }
}

export interface BatchRowIssue {
  /** 1-based, as a spreadsheet numbers rows (the header is usually row 1). */
  row: number;
  field: FilingField;
  code: FilingIssueCode;
}

/** Whether a value fits a schema: Value.Check by default; the portal passes a compiled checker. */
export type SchemaCheck = (schema: TObject, value: unknown) => boolean;

export interface BatchParse {
  filings: { row: number; filing: Filing }[];
  report: BatchRowIssue[];
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** Maps header cells to columns; reports missing, unknown and doubled columns. */
function readHeader(
  cells: readonly string[],
  row: number,
  report: BatchRowIssue[],
): (BatchColumn | undefined)[] {
  const byHeader = new Map<string, BatchColumn>(
    BATCH_COLUMNS.map((c) => [FIELD_LABELS[c.field]['zh-TW'], c]),
  );
  const seen = new Set<FilingField>();
  const columns = cells.map((cell, i) => {
    // Excel's UTF-8 CSV starts with a byte-order mark the decoder may leave in the first cell.
    const text = (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim();
    if (text === '') return undefined;
    const column = byHeader.get(text);
    if (!column) report.push({ row, field: 'row', code: 'ERR_BATCH_UNKNOWN_COLUMN' });
    else if (seen.has(column.field))
      report.push({ row, field: column.field, code: 'ERR_BATCH_DUPLICATE_COLUMN' });
    else seen.add(column.field);
    return column;
  });
  for (const c of BATCH_COLUMNS)
    if (!seen.has(c.field)) report.push({ row, field: c.field, code: 'ERR_BATCH_MISSING_COLUMN' });
  return columns;
}

/** What a kind's schema says of each header column: read once per file, not once per row. */
interface KindPlan {
  schema: TObject;
  /** Per header column: undefined (no column / the kind column), or whether the kind uses and needs it. */
  columns: ({ column: BatchColumn; used: boolean; required: boolean } | undefined)[];
}

function kindPlans(columns: readonly (BatchColumn | undefined)[]): Record<FilingKind, KindPlan> {
  const plan = (kind: FilingKind): KindPlan => {
    const schema = SCHEMA_BY_KIND[kind];
    const required = new Set(schema.required);
    return {
      schema,
      columns: columns.map((column) =>
        !column || column.field === 'kind'
          ? undefined
          : { column, used: column.field in schema.properties, required: required.has(column.field) },
      ),
    };
  };
  return Object.fromEntries(FILING_KINDS.map((k) => [k, plan(k)])) as Record<FilingKind, KindPlan>;
}

function readRow(
  cells: readonly string[],
  columns: readonly (BatchColumn | undefined)[],
  plans: Record<FilingKind, KindPlan>,
  kindIndex: number,
  row: number,
  report: BatchRowIssue[],
  checkSchema: SchemaCheck,
): Filing | undefined {
  const before = report.length;
  for (let i = columns.length; i < cells.length; i++) {
    if (cells[i]!.trim() !== '') {
      report.push({ row, field: 'row', code: 'ERR_BATCH_EXTRA_CELLS' });
      break;
    }
  }
  const kind = parseKind(cells[kindIndex] ?? '');
  if (!kind.ok) {
    report.push({ row, field: 'kind', code: kind.code });
    return undefined;
  }
  const { schema, columns: plan } = plans[kind.value];
  const filing: Record<string, string | number> = { kind: kind.value };
  for (let i = 0; i < plan.length; i++) {
    const cell = plan[i];
    if (!cell) continue;
    const { column, used, required } = cell;
    const raw = cells[i] ?? '';
    if (raw.trim() === '') {
      if (used && required) report.push({ row, field: column.field, code: 'ERR_FIELD_REQUIRED' });
      continue;
    }
    if (!used) {
      report.push({ row, field: column.field, code: 'ERR_BATCH_FIELD_NOT_FOR_KIND' });
      continue;
    }
    const parsed = parseCell(column, raw, kind.value);
    if (parsed.ok) filing[column.field] = parsed.value;
    else report.push({ row, field: column.field, code: parsed.code });
  }
  if (report.length > before) return undefined;
  // Every cell passed its rule, so the filing must fit its contract; a miss is a bug in this layout.
  // Checked against the kind's own schema (one branch of the Filing union, so a Filing), not the
  // whole union: the union tries every branch, a cost 5,000 rows feel.
  if (!checkSchema(schema, filing))
    throw new Error(`batch row ${row} passed its rules but not the Filing schema`);
  return filing as Filing;
}

/**
 * A row's content, for spotting a row repeated: the filing's JSON text. Every filing of one file is
 * built with its keys in the same order (kind, then the header's columns) from normalised values, so
 * equal text is equal content, as exactly as canonical JSON (which sorts keys) and far cheaper.
 */
const contentKey = (f: Filing) => JSON.stringify(f);

/** Who a row is about, for spotting one person filed twice with the same kind. */
function personKey(f: Filing): string {
  const dependant =
    f.kind === 'dependant-enrol' || f.kind === 'dependant-withdraw' ? `/${f.insuredIdNumber}` : '';
  return `${f.kind}:${f.idNumber}${dependant}`;
}

/** What a reader of rows gives back: the parse, and how many data rows it read. */
export interface BatchRowsRead extends BatchParse {
  /** Data rows read (blank lines and the header not counted). */
  rowCount: number;
}

/**
 * Rows (already decoded), fed one at a time in file order, → the valid filings with their row
 * numbers, and a report per row of what is wrong. Empty lines are skipped; a row identical to an
 * earlier one is reported and skipped; two different rows about the same person and kind are both
 * reported and both left out. Each row is read as it comes, so a file's table of cells never has to
 * be kept whole (a CSV record is read while the next one is still being parsed).
 */
export class BatchRowReader {
  private readonly report: BatchRowIssue[] = [];
  private readonly filings: BatchParse['filings'] = [];
  private row = 0;
  private headerRow = 0;
  private dataRows = 0;
  /** Undefined until the header is read; null when the header itself is refused. */
  private columns: (BatchColumn | undefined)[] | null | undefined;
  private plans: Record<FilingKind, KindPlan> | undefined;
  private kindIndex = -1;
  // The first row about each person; identical rows are always about the same person, so the
  // content of rows is kept (and its text made) only once a person key comes again.
  private readonly firstByPerson = new Map<string, { row: number; filing: Filing; counted: boolean }>();
  private readonly contents = new Set<string>();
  private readonly conflicted = new Set<number>();

  constructor(private readonly checkSchema: SchemaCheck = (schema, value) => Value.Check(schema, value)) {}

  /** The next row of the file (row numbers count every row given, blank ones included). */
  add(cells: readonly string[]): void {
    const row = ++this.row;
    if (isBlank(cells)) return;
    if (this.columns === undefined) {
      this.headerRow = row;
      this.columns = readHeader(cells, row, this.report);
      if (this.report.length > 0) this.columns = null;
      else {
        this.plans = kindPlans(this.columns);
        this.kindIndex = this.columns.findIndex((c) => c?.field === 'kind');
      }
      return;
    }
    // Past the limit the file is refused as a whole: the rows after it are only counted.
    if (++this.dataRows > MAX_FILINGS_PER_SUBMISSION || this.columns === null) return;
    this.readDataRow(cells, row, this.columns, this.plans!);
  }

  private readDataRow(
    cells: readonly string[],
    row: number,
    columns: readonly (BatchColumn | undefined)[],
    plans: Record<FilingKind, KindPlan>,
  ): void {
    const filing = readRow(cells, columns, plans, this.kindIndex, row, this.report, this.checkSchema);
    if (!filing) return;
    const person = personKey(filing);
    const first = this.firstByPerson.get(person);
    if (first === undefined) {
      this.firstByPerson.set(person, { row, filing, counted: false });
      this.filings.push({ row, filing });
      return;
    }
    if (!first.counted) {
      this.contents.add(contentKey(first.filing));
      first.counted = true;
    }
    const content = contentKey(filing);
    if (this.contents.has(content)) {
      this.report.push({ row, field: 'row', code: 'ERR_BATCH_DUPLICATE_ROW' });
      return;
    }
    this.contents.add(content);
    if (!this.conflicted.has(first.row))
      this.report.push({ row: first.row, field: 'row', code: 'ERR_BATCH_CONFLICTING_ROWS' });
    this.report.push({ row, field: 'row', code: 'ERR_BATCH_CONFLICTING_ROWS' });
    this.conflicted.add(first.row).add(row);
  }

  /** The parse of every row given. */
  finish(): BatchRowsRead {
    const rowCount = this.dataRows;
    const refused = (report: BatchRowIssue[]) => ({ filings: [], report, rowCount });
    if (this.columns === undefined) return refused([{ row: 1, field: 'row', code: 'ERR_BATCH_EMPTY' }]);
    if (this.columns === null) return refused(this.report);
    if (rowCount === 0) return refused([{ row: this.headerRow, field: 'row', code: 'ERR_BATCH_EMPTY' }]);
    if (rowCount > MAX_FILINGS_PER_SUBMISSION)
      return refused([{ row: this.headerRow, field: 'row', code: 'ERR_BATCH_TOO_MANY_ROWS' }]);
    const report = this.report.sort((a, b) => a.row - b.row);
    const conflicted = this.conflicted;
    const filings = conflicted.size === 0 ? this.filings : this.filings.filter((f) => !conflicted.has(f.row));
    return { filings, report, rowCount };
  }
}

/** All rows of a file at once (the reader above, fed every row). */
export function parseBatchRows(rows: readonly (readonly string[])[], checkSchema?: SchemaCheck): BatchParse {
  const reader = new BatchRowReader(checkSchema);
  for (const cells of rows) reader.add(cells);
  const { filings, report } = reader.finish();
  return { filings, report };
}
