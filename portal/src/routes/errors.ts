/** Turns any error into the portal's error body; unknown errors become ERR_PORTAL_INTERNAL. */
import type { FastifyError } from 'fastify';
import { PortalError, type PortalErrorCode } from '../../../shared/portal/errors.ts';

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params?: Record<string, unknown>;
}

/** Fields with their own code when their format is wrong. */
const FIELD_CODES: Readonly<Record<string, PortalErrorCode>> = {
  cardNumber: 'ERR_PORTAL_INVALID_CARD_NUMBER',
  idNumber: 'ERR_PORTAL_INVALID_ID_NUMBER',
  unitCode: 'ERR_PORTAL_INVALID_UNIT_CODE',
  email: 'ERR_PORTAL_INVALID_EMAIL',
  ubn: 'ERR_PORTAL_INVALID_UBN',
  asOf: 'ERR_PORTAL_INVALID_DATE',
  from: 'ERR_PORTAL_INVALID_DATE',
  to: 'ERR_PORTAL_INVALID_DATE',
};

/**
 * A schema validation failure → the most specific refusal: the deepest failing field wins (with a
 * union of proofs, the branch that got furthest), a "kind" mismatch counts least.
 */
export function validationToPortalError(issues: readonly ValidationIssue[], context?: string): PortalError {
  const fieldOf = (issue: ValidationIssue) => {
    const path = issue.instancePath.split('/').filter(Boolean);
    const missing = issue.params?.missingProperty;
    if (typeof missing === 'string') path.push(missing);
    const additional = issue.params?.additionalProperty;
    if (typeof additional === 'string') path.push(additional);
    return path;
  };
  const ranked = issues
    .filter((i) => i.keyword !== 'anyOf' && i.keyword !== 'oneOf')
    .map((issue) => {
      const path = fieldOf(issue);
      const kindMismatch =
        path[path.length - 1] === 'kind' && (issue.keyword === 'const' || issue.keyword === 'enum');
      return { path, score: kindMismatch ? -1 : path.length };
    })
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]?.path ?? [];
  const last = best[best.length - 1];
  // Own keys only: a request's field named "constructor" must not find Object.prototype's.
  const code =
    (last !== undefined && Object.hasOwn(FIELD_CODES, last) ? FIELD_CODES[last] : undefined) ??
    'ERR_PORTAL_BAD_REQUEST';
  const field = best.length > 0 ? best.join('.') : context;
  return new PortalError(code, {
    ...(field ? { field } : {}),
    detail: `validation of ${context ?? 'request'}`,
  });
}

export function toPortalError(error: unknown): PortalError {
  if (error instanceof PortalError) return error;
  const e = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(e.validation)) return validationToPortalError(e.validation, e.validationContext);
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 429) return new PortalError('ERR_PORTAL_RATE_LIMITED');
  if (status === 404) return new PortalError('ERR_PORTAL_NOT_FOUND');
  if (status === 413) return new PortalError('ERR_PORTAL_BODY_TOO_LARGE', { detail: e.code ?? 'too large' });
  // Malformed JSON, wrong content type, body too large and the like.
  if (status >= 400 && status < 500)
    return new PortalError('ERR_PORTAL_BAD_REQUEST', { detail: e.code ?? 'bad request' });
  return new PortalError('ERR_PORTAL_INTERNAL');
}
