/**
 * The typed client of the portal API (portal/API.md): JSON both ways, `Authorization: Bearer` with
 * the session token when there is one, never cookies. A refusal `{error: {code, message, field}}`
 * becomes a PortalError with that code and field; a portal that cannot be reached (network failure,
 * no answer in time) a PortalError with code 'unreachable'.
 */
import { isPortalErrorCode, type PortalErrorCode } from '../../../shared/portal/errors.ts';
import type {
  AddClerkBody,
  Clerk,
  ClerkList,
  HomeResult,
  LoginBody,
  LoginResult,
  NhiCardProof,
  NonceResult,
  Proof,
  RegisterBody,
  RegistrationResult,
  SessionResult,
} from './types.ts';

export type PortalFailure = PortalErrorCode | 'unreachable';

export class PortalError extends Error {
  constructor(
    readonly code: PortalFailure,
    message: string,
    /** The request field the refusal is about (e.g. "unitCode", "proof.password"). */
    readonly field?: string,
    /** The HTTP status (none when the portal was not reached). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

/** How long a portal call may take before the portal counts as unreachable. */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface PortalApiOptions {
  /** The portal's origin (settings' effectivePortalAddress). */
  base: string;
  /** The session token, if logged in. */
  token: () => Promise<string | undefined>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The code for an answer that is not the portal's error body (a proxy's page, say). */
function codeForStatus(status: number): PortalErrorCode {
  if (status === 429) return 'ERR_PORTAL_RATE_LIMITED';
  if (status === 404) return 'ERR_PORTAL_NOT_FOUND';
  if (status === 401) return 'ERR_PORTAL_SESSION_EXPIRED';
  if (status >= 400 && status < 500) return 'ERR_PORTAL_BAD_REQUEST';
  return 'ERR_PORTAL_INTERNAL';
}

/** Reads `{error: {code, message, field}}`; anything else is judged by its status. */
export function errorFromBody(status: number, body: unknown): PortalError {
  const error = (body as { error?: unknown } | null)?.error as
    { code?: unknown; message?: unknown; field?: unknown } | undefined;
  if (error && typeof error === 'object') {
    const code = isPortalErrorCode(error.code) ? error.code : codeForStatus(status);
    const message = typeof error.message === 'string' ? error.message : code;
    const field = typeof error.field === 'string' && error.field !== '' ? error.field : undefined;
    return new PortalError(code, message, field, status);
  }
  const code = codeForStatus(status);
  return new PortalError(code, `HTTP ${status}`, undefined, status);
}

export function createPortalApi(options: PortalApiOptions) {
  const base = options.base.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = await options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PortalError('unreachable', `portal ${base} unreachable: ${String(error)}`);
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw errorFromBody(response.status, parsed);
    if (parsed === undefined || parsed === null || typeof parsed !== 'object') {
      throw new PortalError(
        'ERR_PORTAL_INTERNAL',
        'the portal answered without JSON',
        undefined,
        response.status,
      );
    }
    return parsed as T;
  }

  return {
    base,
    health: () => request<{ ok: true; version: string; time: string }>('GET', '/api/health'),
    nonce: () => request<NonceResult>('POST', '/api/nonces'),
    setNhiCardPassword: (proof: NhiCardProof) =>
      request<{ registered: true }>('POST', '/api/nhi-cards/password', { proof }),
    register: (body: RegisterBody) => request<RegistrationResult>('POST', '/api/registrations', body),
    cancelRegistration: (proof: Proof) =>
      request<{ cancelled: true }>('DELETE', '/api/registrations/current', { proof }),
    login: (body: LoginBody) => request<LoginResult>('POST', '/api/sessions', body),
    currentSession: () => request<SessionResult>('GET', '/api/sessions/current'),
    logout: () => request<{ loggedOut: true }>('DELETE', '/api/sessions/current'),
    clerks: () => request<ClerkList>('GET', '/api/units/current/clerks'),
    addClerk: (body: AddClerkBody) => request<{ clerk: Clerk }>('POST', '/api/units/current/clerks', body),
    revokeClerk: (clerkId: string) =>
      request<{ clerk: Clerk }>('DELETE', `/api/units/current/clerks/${encodeURIComponent(clerkId)}`),
    home: () => request<HomeResult>('GET', '/api/home'),
  };
}

export type PortalApi = ReturnType<typeof createPortalApi>;

/** The session is gone on the portal's side: the pages log out locally and show the login. */
export function isSessionLost(error: unknown): boolean {
  return (
    error instanceof PortalError &&
    (error.code === 'ERR_PORTAL_SESSION_EXPIRED' || error.code === 'ERR_PORTAL_SESSION_MISSING')
  );
}
