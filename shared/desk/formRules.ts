/**
 * The e-service desk's date rules for form applications (承保業務網路服務專區 表單申請), as one
 * function of (request, today in Asia/Taipei). Rules as the service page states them
 * (taiwan-nhi-facts.md, "承保業務網路服務專區"):
 * - a re-send request covers at most 6 months ("如需申請6個月以上，請分2次（含）以上申請");
 * - re-sendable months run from January of the previous year to the current month;
 * - the latest slip and statements can be had from the 20th of the month (bi-monthly slips: the
 *   20th of odd months), so the current month before the 20th is "not yet";
 * - automatic sending applied for by the 5th (inclusive) starts with that month's slip, after the
 *   5th with the next month's; no paper slips from then on.
 * Months here are slip months: the month a slip is issued in (its billed months are in
 * shared/billing/slipSchedule.ts).
 */
import { addMonths, slipIssuedIn, SLIP_ISSUE_DAY, type BillingCycle } from '../billing/slipSchedule.ts';
import { taipeiNow } from '../tw/taipeiTime.ts';

export const DESK_DATE_RULES = {
  maxMonthsPerRequest: 6,
  /** Months back to January of this many years before the current one. */
  retentionYearsBack: 1,
  autoSendCutoffDay: 5,
  issueDay: SLIP_ISSUE_DAY,
  source: 'NHI e-service desk page, as quoted in taiwan-nhi-facts.md',
} as const;

export const RESEND_DOCUMENTS = ['slip', 'detail', 'summary'] as const;
export type ResendDocument = (typeof RESEND_DOCUMENTS)[number];

export const DESK_RULE_CODES = [
  'ERR_DESK_MONTH_MALFORMED',
  'ERR_DESK_RANGE_REVERSED',
  'ERR_DESK_RANGE_TOO_LONG',
  'ERR_DESK_MONTH_TOO_EARLY',
  'ERR_DESK_MONTH_IN_FUTURE',
  'ERR_DESK_NOT_YET_AVAILABLE',
  'ERR_DESK_NO_DOCUMENTS',
  'ERR_DESK_NO_SLIP_IN_RANGE',
] as const;
export type DeskRuleCode = (typeof DESK_RULE_CODES)[number];

export interface DeskRuleProblem {
  field: 'fromMonth' | 'toMonth' | 'documents';
  code: DeskRuleCode;
  /** Values the message names: months as YYYY-MM, dates as YYYY-MM-DD. */
  params: Record<string, string | number>;
}

export interface ResendRequest {
  documents: readonly ResendDocument[];
  fromMonth: string;
  toMonth: string;
}

export type ResendDecision =
  { ok: true; months: string[]; documents: ResendDocument[] } | { ok: false; problems: DeskRuleProblem[] };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The oldest and newest slip month a request may name today. */
export function resendWindow(now: Date): { earliest: string; latest: string; latestAvailableFrom: string } {
  const today = taipeiNow(now);
  const year = Number(today.month.slice(0, 4)) - DESK_DATE_RULES.retentionYearsBack;
  return {
    earliest: `${year}-01`,
    latest: today.month,
    latestAvailableFrom: `${today.month}-${String(DESK_DATE_RULES.issueDay).padStart(2, '0')}`,
  };
}

export function checkResendRequest(request: ResendRequest, cycle: BillingCycle, now: Date): ResendDecision {
  const problems: DeskRuleProblem[] = [];
  const documents = [...new Set(request.documents)].filter((d) =>
    (RESEND_DOCUMENTS as readonly string[]).includes(d),
  );
  if (documents.length === 0)
    problems.push({ field: 'documents', code: 'ERR_DESK_NO_DOCUMENTS', params: {} });
  const fromOk = MONTH.test(request.fromMonth);
  const toOk = MONTH.test(request.toMonth);
  if (!fromOk) problems.push({ field: 'fromMonth', code: 'ERR_DESK_MONTH_MALFORMED', params: {} });
  if (!toOk) problems.push({ field: 'toMonth', code: 'ERR_DESK_MONTH_MALFORMED', params: {} });
  if (!fromOk || !toOk) return { ok: false, problems };

  const window = resendWindow(now);
  const today = taipeiNow(now);
  if (request.fromMonth > request.toMonth) {
    problems.push({ field: 'toMonth', code: 'ERR_DESK_RANGE_REVERSED', params: {} });
    return { ok: false, problems };
  }
  const months = monthsBetween(request.fromMonth, request.toMonth);
  if (months.length > DESK_DATE_RULES.maxMonthsPerRequest) {
    problems.push({
      field: 'toMonth',
      code: 'ERR_DESK_RANGE_TOO_LONG',
      params: { max: DESK_DATE_RULES.maxMonthsPerRequest, count: months.length },
    });
  }
  if (request.fromMonth < window.earliest) {
    problems.push({
      field: 'fromMonth',
      code: 'ERR_DESK_MONTH_TOO_EARLY',
      params: { earliest: window.earliest },
    });
  }
  if (request.toMonth > window.latest) {
    problems.push({ field: 'toMonth', code: 'ERR_DESK_MONTH_IN_FUTURE', params: { latest: window.latest } });
  } else if (request.toMonth === today.month && today.day < DESK_DATE_RULES.issueDay) {
    const issued = slipIssuedIn(cycle, today.month);
    // Bi-monthly units have no slip in even months: the current even month is simply not in range.
    if (issued) {
      problems.push({
        field: 'toMonth',
        code: 'ERR_DESK_NOT_YET_AVAILABLE',
        params: { month: today.month, availableFrom: window.latestAvailableFrom },
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const withSlips = months.filter((m) => slipIssuedIn(cycle, m) !== undefined);
  if (withSlips.length === 0) {
    return { ok: false, problems: [{ field: 'fromMonth', code: 'ERR_DESK_NO_SLIP_IN_RANGE', params: {} }] };
  }
  return { ok: true, months: withSlips, documents };
}

/** The first slip month an automatic-sending application made now covers. */
export function autoSendStart(
  cycle: BillingCycle,
  now: Date,
): { firstMonth: string; cutoffApplied: boolean } {
  const today = taipeiNow(now);
  const byCutoff = today.day <= DESK_DATE_RULES.autoSendCutoffDay;
  let month = byCutoff ? today.month : addMonths(today.month, 1);
  while (!slipIssuedIn(cycle, month)) month = addMonths(month, 1);
  return { firstMonth: month, cutoffApplied: !byCutoff };
}
