/**
 * A field rule's refusal (shared/fields/errors.ts) as the portal answers it (./errors.ts): the portal's
 * error body names the field, so each field code maps to the portal code that tells the clerk what to
 * fix. Browser-safe: the pages map their own form checks the same way.
 */
import type { FieldErrorCode } from '../fields/errors.ts';
import type { FieldResult } from '../fields/rules.ts';
import { PortalError, type PortalErrorCode } from './errors.ts';

export const PORTAL_CODE_OF_FIELD_ERROR: Readonly<Record<FieldErrorCode, PortalErrorCode>> = {
  ERR_FIELD_REQUIRED: 'ERR_PORTAL_FIELD_REQUIRED',
  ERR_FIELD_TOO_LONG: 'ERR_PORTAL_FIELD_TOO_LONG',
  ERR_FIELD_CONTROL_CHARACTER: 'ERR_PORTAL_CONTROL_CHARACTER',
  ERR_FIELD_NAME_CHARACTERS: 'ERR_PORTAL_INVALID_NAME',
  ERR_FIELD_EMAIL: 'ERR_PORTAL_INVALID_EMAIL',
  ERR_FIELD_UNIT_CODE: 'ERR_PORTAL_INVALID_UNIT_CODE',
  ERR_FIELD_ID_FORMAT: 'ERR_PORTAL_INVALID_ID_NUMBER',
  ERR_FIELD_ID_CHECKSUM: 'ERR_PORTAL_INVALID_ID_NUMBER',
  ERR_FIELD_ID_OLD_RESIDENT_EXPIRED: 'ERR_PORTAL_INVALID_ID_NUMBER',
  ERR_FIELD_NHI_CARD_NUMBER: 'ERR_PORTAL_INVALID_CARD_NUMBER',
  ERR_FIELD_DATE_FORMAT: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_DATE_NOT_REAL: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_MONTH: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_AMOUNT: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_PERCENT: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_CODE_UNKNOWN: 'ERR_PORTAL_BAD_REQUEST',
  ERR_FIELD_NOT_NORMALISED: 'ERR_PORTAL_BAD_REQUEST',
};

/** The rule's normalised value, or a PortalError naming `field` (the field code kept as its detail). */
export function acceptField<T>(result: FieldResult<T>, field: string): T {
  if (result.ok) return result.value;
  throw new PortalError(PORTAL_CODE_OF_FIELD_ERROR[result.code], { field, detail: result.code });
}
