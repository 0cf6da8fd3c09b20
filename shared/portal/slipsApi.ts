/**
 * The e-payment slip routes (issue 11): the mail subscription (電子繳款單申請及查詢) with its
 * confirmation link, and the download area (下載區). Spread into PORTAL_ROUTES (./api.ts).
 * Browser-safe: TypeBox only.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BILLING_CYCLES } from '../billing/slipSchedule.ts';
import type { PortalRoute } from './api.ts';
import { Email } from './email.ts';

/** A slip period id: `2026-11` (monthly) or `2026-11+12` (bi-monthly), as slipSchedule.ts names them. */
export const SLIP_PERIOD_PATTERN = '^\\d{4}-\\d{2}(\\+\\d{2})?$';
/** The confirmation token in the mail's link: 32 random bytes, base64url. */
export const SLIP_CONFIRM_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export const BillingCycleView = Type.Union(BILLING_CYCLES.map((c) => Type.Literal(c)));

export const SlipPeriodView = Type.Object({
  id: Type.String(),
  cycle: BillingCycleView,
  /** The premium months billed (YYYY-MM). */
  months: Type.Array(Type.String()),
  issueMonth: Type.String(),
  /** ISO date the slip is mailed and appears in the download area. */
  issueDate: Type.String(),
  dueDate: Type.String(),
});
export type SlipPeriodView = Static<typeof SlipPeriodView>;

export const SlipSubscriptionView = Type.Object({
  /** Slips are mailed (an address is confirmed and not cancelled). */
  active: Type.Boolean(),
  email: Type.Optional(Type.String()),
  confirmedAt: Type.Optional(Type.String()),
  /** An address waiting for its confirmation link to be opened. */
  pendingEmail: Type.Optional(Type.String()),
  pendingExpiresAt: Type.Optional(Type.String()),
  cancelledAt: Type.Optional(Type.String()),
  cycle: BillingCycleView,
  /** The next slip mailed (when active) and when. */
  next: SlipPeriodView,
});
export type SlipSubscriptionView = Static<typeof SlipSubscriptionView>;

const PeriodParams = Type.Object(
  { period: Type.String({ pattern: SLIP_PERIOD_PATTERN }) },
  { additionalProperties: false },
);
export const StatementKindView = Type.Union([Type.Literal('detail'), Type.Literal('summary')]);
const StatementParams = Type.Object(
  { period: Type.String({ pattern: SLIP_PERIOD_PATTERN }), kind: StatementKindView },
  { additionalProperties: false },
);
const ConfirmToken = Type.String({ pattern: SLIP_CONFIRM_TOKEN_PATTERN });

export const SLIP_ROUTES = {
  slipSubscription: {
    method: 'GET',
    path: '/api/units/current/slip-subscription',
    summary: "The unit's e-payment slip subscription and the next slip mailed",
    tags: ['slips'],
    session: true,
    reply: SlipSubscriptionView,
  },
  subscribeSlips: {
    method: 'POST',
    path: '/api/units/current/slip-subscription',
    summary: 'Give or change the address slips are mailed to (a confirmation link is mailed to it)',
    tags: ['slips'],
    session: true,
    body: Type.Object({ email: Email }, { additionalProperties: false }),
    reply: SlipSubscriptionView,
  },
  cancelSlipSubscription: {
    method: 'DELETE',
    path: '/api/units/current/slip-subscription',
    summary: 'Stop mailing slips',
    tags: ['slips'],
    session: true,
    reply: SlipSubscriptionView,
  },
  confirmSlipPage: {
    method: 'GET',
    path: '/slips/confirm',
    summary: "The confirmation link's page: a button that confirms the address (a link preview does not)",
    tags: ['slips'],
    session: false,
    query: Type.Object({ token: Type.String({ maxLength: 64 }) }),
    download: { contentType: 'text/html; charset=utf-8' },
    reply: Type.Null(),
  },
  confirmSlipAddress: {
    method: 'POST',
    path: '/slips/confirm',
    summary: 'Confirm the address (the page above posts its form here; single use, expires)',
    tags: ['slips'],
    session: false,
    body: Type.Object({ token: ConfirmToken }, { additionalProperties: false }),
    download: { contentType: 'text/html; charset=utf-8' },
    reply: Type.Null(),
  },
  slipPeriods: {
    method: 'GET',
    path: '/api/units/current/slips',
    summary: 'The download area: slip periods from January of last year to the latest 20th',
    tags: ['slips'],
    session: true,
    reply: Type.Object({
      cycle: BillingCycleView,
      periods: Type.Array(SlipPeriodView),
      /** The first issue month kept. */
      retainedFrom: Type.String(),
    }),
  },
  slipPdf: {
    method: 'GET',
    path: '/api/units/current/slips/:period/slip',
    summary: 'The e-payment slip of a period (PDF)',
    tags: ['slips'],
    session: true,
    params: PeriodParams,
    download: { contentType: 'application/pdf' },
    reply: Type.Null(),
  },
  statementPdf: {
    method: 'GET',
    path: '/api/units/current/slips/:period/statements/:kind/pdf',
    summary: 'A statement of a period (保費明細表 detail / 員工保費計算彙總表 summary), PDF',
    tags: ['slips'],
    session: true,
    params: StatementParams,
    download: { contentType: 'application/pdf' },
    reply: Type.Null(),
  },
  statementCsv: {
    method: 'GET',
    path: '/api/units/current/slips/:period/statements/:kind/csv',
    summary: 'A statement of a period, CSV (UTF-8 with BOM)',
    tags: ['slips'],
    session: true,
    params: StatementParams,
    download: { contentType: 'text/csv; charset=utf-8' },
    reply: Type.Null(),
  },
} as const satisfies Record<string, PortalRoute>;
