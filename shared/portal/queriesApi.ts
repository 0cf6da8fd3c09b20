/**
 * Filings queries (issue 10, 查詢): the unit's roster (insured persons with their dependants, now or
 * as of a date), the filing history, the reveal of one full ID number, and both lists as CSV. Spread
 * into PORTAL_ROUTES (./api.ts). Query values arrive as strings (URLs carry nothing else), so numbers
 * and dates are strings with patterns here; the portal also checks that a date is a real day and an ID
 * number's check digit (shared/fields/rules.ts) and names the field it refuses.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FILING_KINDS } from '../filings/labels.ts';
import { TEXT_LIMITS } from '../fields/rules.ts';
import type { PortalRoute } from './api.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const QUERY_ISO_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
/** A full ID number typed as a filter (upper case; the check digit is checked by the portal). */
export const QUERY_ID_NUMBER_PATTERN = '^[A-Za-z][0-9A-Da-d][0-9]{8}$';
/** Page sizes a list offers; the default is the first. */
export const PAGE_SIZES = [20, 50, 100] as const;
/** The most rows a CSV export carries (a unit larger than this exports in parts, by filter). */
export const MAX_EXPORT_ROWS = 100_000;
/** The highest page number accepted (a typing slip beyond it is refused, not an empty scan). */
export const MAX_PAGE = 100_000;

const IsoDate = Type.String({ pattern: QUERY_ISO_DATE_PATTERN });
const PageNumber = Type.String({ pattern: '^[1-9][0-9]{0,5}$' });
const PageSize = Type.String({ pattern: `^(${PAGE_SIZES.join('|')})$` });

export const FILING_STATES = ['received', 'accepted', 'rejected'] as const;
export type FilingState = (typeof FILING_STATES)[number];

/**
 * `idNumbers=full` in an export writes full ID numbers; it is audited like a reveal ('id-export',
 * with the row count). Without it every ID number in the file is masked as on the page.
 */
const IdNumbersInExport = Type.Optional(literals(['masked', 'full'] as const));

export const RosterQuery = Type.Object(
  {
    /** The day the roster is for (ISO); absent: today in Taipei. */
    asOf: Type.Optional(IsoDate),
    /** A full ID number (exact match) or part of a name. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.personName })),
    page: Type.Optional(PageNumber),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);
export type RosterQuery = Static<typeof RosterQuery>;

export const RosterExportQuery = Type.Object(
  {
    asOf: Type.Optional(IsoDate),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.personName })),
    idNumbers: IdNumbersInExport,
  },
  { additionalProperties: false },
);
export type RosterExportQuery = Static<typeof RosterExportQuery>;

const historyFilters = {
  idNumber: Type.Optional(Type.String({ pattern: QUERY_ID_NUMBER_PATTERN })),
  /** Part of the person's name. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.personName })),
  /** First and last Taipei day the filings were received (inclusive). */
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  kind: Type.Optional(literals(FILING_KINDS)),
  state: Type.Optional(literals(FILING_STATES)),
};

export const HistoryQuery = Type.Object(
  { ...historyFilters, page: Type.Optional(PageNumber), pageSize: Type.Optional(PageSize) },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryExportQuery = Type.Object(
  { ...historyFilters, idNumbers: IdNumbersInExport },
  { additionalProperties: false },
);
export type HistoryExportQuery = Static<typeof HistoryExportQuery>;

/** Where a masked ID number shown in a list comes from, so that the clerk can reveal that one. */
export const RecordSource = literals(['insured', 'dependant', 'filing'] as const);
export type RecordSource = Static<typeof RecordSource>;

/** The portal's row ids (services/ids.ts, or UUIDs for rows made elsewhere). */
const RecordId = Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' });

export const RevealBody = Type.Object(
  { source: RecordSource, id: RecordId },
  { additionalProperties: false },
);
export type RevealBody = Static<typeof RevealBody>;

const Paging = {
  page: Type.Integer(),
  pageSize: Type.Integer(),
  /** Rows matching the filters, over all pages. */
  total: Type.Integer(),
};

export const DependantEntry = Type.Object({
  /** The dependant period's id (reveal with source 'dependant'). */
  id: Type.String(),
  idMasked: Type.String(),
  name: Type.String(),
  birthDate: Type.String(),
  relationship: Type.String(),
  fromDate: Type.String(),
  toDate: Type.Optional(Type.String()),
});
export type DependantEntry = Static<typeof DependantEntry>;

export const RosterEntry = Type.Object({
  /** The insured period's id (reveal with source 'insured'). */
  id: Type.String(),
  idMasked: Type.String(),
  name: Type.String(),
  birthDate: Type.String(),
  scheme: literals(['nhi', 'joint'] as const),
  insuredAmount: Type.Integer(),
  labourInsuredSalary: Type.Optional(Type.Integer()),
  fromDate: Type.String(),
  /** Set when the period ends on a known day (a withdrawal or an amount change after asOf). */
  toDate: Type.Optional(Type.String()),
  dependants: Type.Array(DependantEntry),
});
export type RosterEntry = Static<typeof RosterEntry>;

export const HistoryEntry = Type.Object({
  /** The filing's id (reveal with source 'filing'). */
  id: Type.String(),
  submissionId: Type.String(),
  /** 受理編號. */
  receiptNo: Type.String(),
  seq: Type.Integer(),
  kind: literals(FILING_KINDS),
  idMasked: Type.String(),
  personName: Type.Optional(Type.String()),
  effectiveDate: Type.Optional(Type.String()),
  state: literals(FILING_STATES),
  late: Type.Boolean(),
  /** The codes of the filing's warnings and, when rejected, its errors. */
  issues: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), severity: Type.String() })),
  receivedAt: Type.String(),
  signer: Type.Object({ kind: literals(['certificate', 'nhi-card'] as const), label: Type.String() }),
  /** 'cms' signatures export as .p7s (the submission's signature route). */
  signatureFormat: literals(['cms', 'nhi-card'] as const),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

const CSV = { contentType: 'text/csv' } as const;

export const QUERIES_ROUTES = {
  roster: {
    method: 'GET',
    path: '/api/filings/roster',
    summary: "The unit's insured persons with their dependants, today or as of a date (ID numbers masked)",
    tags: ['queries'],
    session: true,
    query: RosterQuery,
    reply: Type.Object({ asOf: Type.String(), ...Paging, persons: Type.Array(RosterEntry) }),
  },
  rosterExport: {
    method: 'GET',
    path: '/api/filings/roster.csv',
    summary: 'The roster as CSV (UTF-8 with BOM); full ID numbers only with idNumbers=full, audited',
    tags: ['queries'],
    session: true,
    query: RosterExportQuery,
    download: CSV,
    reply: Type.Null(),
  },
  filingHistory: {
    method: 'GET',
    path: '/api/filings/history',
    summary: "The unit's filings with state, receipt number and signer, newest first",
    tags: ['queries'],
    session: true,
    query: HistoryQuery,
    reply: Type.Object({ ...Paging, filings: Type.Array(HistoryEntry) }),
  },
  historyExport: {
    method: 'GET',
    path: '/api/filings/history.csv',
    summary: 'The filing history as CSV (UTF-8 with BOM); full ID numbers only with idNumbers=full, audited',
    tags: ['queries'],
    session: true,
    query: HistoryExportQuery,
    download: CSV,
    reply: Type.Null(),
  },
  revealIdNumber: {
    method: 'POST',
    path: '/api/filings/reveal',
    summary: "One person's full ID number from a list (audited 'id-reveal')",
    tags: ['queries'],
    session: true,
    body: RevealBody,
    reply: Type.Object({ idNumber: Type.String() }),
  },
} as const satisfies Record<string, PortalRoute>;
