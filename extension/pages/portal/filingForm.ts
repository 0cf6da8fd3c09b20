/**
 * The filing forms' logic (申報異動), without a browser: which fields each kind shows, and what the
 * clerk typed → a Filing, through the SAME parsing and checks as the batch upload and the portal
 * (shared/filings/batchLayout.ts parseBatchRows, then checkFiling). Errors are placed beside their
 * field; warnings (a late filing…) are shown but do not stop the signing.
 */
import {
  batchHeaderRow,
  BATCH_COLUMNS,
  parseBatchRows,
  SCHEME_CELLS,
} from '../../../shared/filings/batchLayout.ts';
import { checkFiling, type FilingIssue } from '../../../shared/filings/checks.ts';
import {
  DEPENDANT_ENROL_REASONS,
  DEPENDANT_WITHDRAWAL_REASONS,
  RELATIONSHIPS,
  WITHDRAWAL_REASONS,
  type CodeEntry,
} from '../../../shared/filings/codes.ts';
import type { Filing } from '../../../shared/filings/contracts.ts';
import { GRADE_TABLES } from '../../../shared/filings/gradeTables.ts';
import { FILING_KIND_LABELS, type FilingField, type FilingKind } from '../../../shared/filings/labels.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';

export type Scheme = 'nhi' | 'joint';

/** What the form holds: the text of every field, the kind and the scheme. */
export interface FilingFormState {
  kind: FilingKind;
  scheme: Scheme;
  values: Partial<Record<FilingField, string>>;
}

const LABOUR_FIELDS: FilingField[] = [
  'labourInsuredSalary',
  'employerPensionPercent',
  'employeePensionPercent',
];

/** The fields a kind shows, in the form's order (the scheme only matters for 加保). */
export function fieldsFor(kind: FilingKind, scheme: Scheme): FilingField[] {
  switch (kind) {
    case 'enrol':
      return [
        'idNumber',
        'name',
        'birthDate',
        'enrolmentDate',
        'insuredAmount',
        ...(scheme === 'joint' ? LABOUR_FIELDS : []),
      ];
    case 'withdraw':
      return ['idNumber', 'date', 'reason'];
    case 'dependant-enrol':
    case 'dependant-withdraw':
      return ['insuredIdNumber', 'idNumber', 'name', 'birthDate', 'relationship', 'date', 'reason'];
    case 'amount-change':
      return ['idNumber', 'insuredAmount', 'effectiveMonth', 'payChangedMonth'];
    case 'correction':
      return ['idNumber', 'newIdNumber', 'newName'];
  }
}

/** Fields a clerk may leave empty. */
export const OPTIONAL_FIELDS: ReadonlySet<FilingField> = new Set([
  'payChangedMonth',
  'newIdNumber',
  'newName',
]);

/** The choices of a code field for a kind (reasons differ per kind), or undefined for a text field. */
export function choicesFor(kind: FilingKind, field: FilingField): readonly CodeEntry<string>[] | undefined {
  if (field === 'relationship') return RELATIONSHIPS;
  if (field !== 'reason') return undefined;
  if (kind === 'withdraw') return WITHDRAWAL_REASONS;
  if (kind === 'dependant-enrol') return DEPENDANT_ENROL_REASONS;
  if (kind === 'dependant-withdraw') return DEPENDANT_WITHDRAWAL_REASONS;
  return undefined;
}

const SCHEME_CELL_OF: Readonly<Record<Scheme, string>> = Object.fromEntries(
  Object.entries(SCHEME_CELLS).map(([cell, scheme]) => [scheme, cell]),
) as Record<Scheme, string>;

export interface FilingFormResult {
  filing?: Filing;
  /** Errors by field (the first per field). */
  errors: Partial<Record<FilingField, FilingIssue['code']>>;
  warnings: FilingIssue[];
}

/** The form → a Filing checked like the portal checks it at receipt (no roster: the portal has it). */
export function readFilingForm(state: FilingFormState, now: Date = new Date()): FilingFormResult {
  const shown = new Set(fieldsFor(state.kind, state.scheme));
  const cells = BATCH_COLUMNS.map(({ field }) => {
    if (field === 'kind') return FILING_KIND_LABELS[state.kind]['zh-TW'];
    if (field === 'scheme') return state.kind === 'enrol' ? SCHEME_CELL_OF[state.scheme] : '';
    return shown.has(field) ? (state.values[field] ?? '') : '';
  });
  const parsed = parseBatchRows([batchHeaderRow(), cells]);
  const errors: FilingFormResult['errors'] = {};
  for (const issue of parsed.report) errors[issue.field] ??= issue.code;
  const filing = parsed.filings[0]?.filing;
  if (!filing) return { errors, warnings: [] };
  const issues = checkFiling(filing, { today: taipeiDate(now), tables: GRADE_TABLES });
  for (const issue of issues) if (issue.severity === 'error') errors[issue.field] ??= issue.code;
  const warnings = issues.filter((i) => i.severity === 'warning');
  return Object.keys(errors).length > 0 ? { errors, warnings } : { filing, errors, warnings };
}
