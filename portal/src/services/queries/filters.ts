/**
 * Query filters beyond their schemas (shared/portal/queriesApi.ts): real days, ID check digits, page
 * numbers → offsets, and LIKE patterns. Each refusal names its field.
 */
import { idNumber } from '../../../../shared/fields/rules.ts';
import { isRealIsoDate } from '../../../../shared/fields/calendar.ts';
import { PAGE_SIZES, QUERY_ID_NUMBER_PATTERN } from '../../../../shared/portal/queriesApi.ts';
import { PortalError } from '../../../../shared/portal/errors.ts';
import { taipeiInstant } from '../../../../shared/tw/taipeiTime.ts';

export function realDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isRealIsoDate(value)) throw new PortalError('ERR_PORTAL_INVALID_DATE', { field, detail: value });
  return value;
}

/** A full ID number filter, upper-cased; a wrong check digit is refused. */
export function idNumberFilter(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const checked = idNumber(value);
  if (!checked.ok) throw new PortalError('ERR_PORTAL_INVALID_ID_NUMBER', { field, detail: checked.code });
  return checked.value;
}

/** True when the text is an ID number in form (the roster's `q` then matches it exactly). */
const ID_NUMBER_FORM = new RegExp(QUERY_ID_NUMBER_PATTERN);

export function looksLikeIdNumber(text: string): boolean {
  return ID_NUMBER_FORM.test(text.trim());
}

export interface Paging {
  page: number;
  pageSize: number;
  offset: number;
}

export function paging(page: string | undefined, pageSize: string | undefined): Paging {
  const p = page === undefined ? 1 : Number(page);
  const size = pageSize === undefined ? PAGE_SIZES[0] : Number(pageSize);
  return { page: p, pageSize: size, offset: (p - 1) * size };
}

/**
 * `%text%` for LIKE against `lower(column)`, lower-cased (romanised names match whatever the case; both
 * databases' LIKE would differ on case otherwise), with the wildcards in the text escaped (ESCAPE '\').
 */
export function containsPattern(text: string): string {
  return `%${text
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The first instant of a Taipei day and the first instant after another, as stored (ISO UTC). */
export function taipeiDayRange(from: string | undefined, to: string | undefined) {
  const next = (day: string) => new Date(taipeiInstant(day).getTime() + 24 * 60 * 60 * 1000);
  return {
    ...(from ? { fromInstant: taipeiInstant(from).toISOString() } : {}),
    ...(to ? { beforeInstant: next(to).toISOString() } : {}),
  };
}
