/**
 * The typed client of the portal API (shared/portal/api.ts, portal/API.md): JSON both ways,
 * `Authorization: Bearer` with the session token when there is one, never cookies. Each call's body and
 * reply types come from the route's entry in the shared table, and every reply is checked against the
 * route's reply schema (Value.Check: no eval, as MV3's CSP requires). A refusal `{error: {code, message,
 * field}}` becomes a PortalError with that code and field; a portal that cannot be reached (network
 * failure, no answer in time) ERR_PORTAL_UNREACHABLE; a reply that breaks its schema
 * ERR_PORTAL_REPLY_INVALID.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  PORTAL_ROUTES,
  type NhiCardProof,
  type PortalRoute,
  type PortalRouteName,
  type PortalRoutes,
  type Proof,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteReply,
} from '../../../shared/portal/api.ts';
import { PortalError, PortalErrorReply, type PortalErrorCode } from '../../../shared/portal/errors.ts';

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

/** What a call of a route sends: its body and path parameters, where the route has them. */
export type RouteInput<R extends PortalRoute> = (R extends { body: TSchema }
  ? { body: RouteBody<R> }
  : { body?: never }) &
  (R extends { params: TSchema } ? { params: RouteParams<R> } : { params?: never }) &
  (R extends { query: TSchema } ? { query?: RouteQuery<R> } : { query?: never });

/** A file the portal sent (PDF, CSV, signature), with the name it suggested. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | undefined;
  contentType: string;
}

/** The code for an answer that is not the portal's error body (a proxy's page, say). */
function codeForStatus(status: number): PortalErrorCode {
  if (status === 429) return 'ERR_PORTAL_RATE_LIMITED';
  if (status === 404) return 'ERR_PORTAL_NOT_FOUND';
  if (status === 401) return 'ERR_PORTAL_SESSION_EXPIRED';
  if (status >= 400 && status < 500) return 'ERR_PORTAL_BAD_REQUEST';
  return 'ERR_PORTAL_INTERNAL';
}

/** Reads the portal's error reply (shared schema); anything else is judged by its status. */
export function errorFromBody(status: number, body: unknown): PortalError {
  if (Value.Check(PortalErrorReply, body)) {
    const { code, field } = body.error;
    return new PortalError(code, { ...(field ? { field } : {}), detail: `HTTP ${status}` });
  }
  return new PortalError(codeForStatus(status), { detail: `HTTP ${status} without the portal's error body` });
}

/** The route's path with its `:name` parameters filled in (URL-encoded). */
function pathOf(route: PortalRoute, params: Readonly<Record<string, string>> | undefined): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
}

/** `?a=1&b=2` from the defined values of a query object, or '' when none. */
function queryOf(query: Readonly<Record<string, string | number | boolean | undefined>> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The file name of a Content-Disposition header (RFC 6266 filename*, then filename). */
function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}

/** Where a reply first breaks its schema, for the detail (never shown to the clerk). */
function firstBreak(schema: TSchema, value: unknown): string {
  const error = Value.Errors(schema, value).First();
  return error ? `${error.path || '/'}: ${error.message}` : 'no JSON object';
}

export function createPortalApi(options: PortalApiOptions) {
  const base = options.base.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function send(route: PortalRoute, input: unknown, accept: string): Promise<Response> {
    const { body, params, query } = input as {
      body?: unknown;
      params?: Record<string, string>;
      query?: Record<string, string | number | boolean | undefined>;
    };
    const headers: Record<string, string> = { Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = await options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(`${base}${pathOf(route, params)}${queryOf(query)}`, {
        method: route.method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PortalError('ERR_PORTAL_UNREACHABLE', { detail: `${base}: ${String(error)}` });
    }
  }

  async function refusal(response: Response): Promise<PortalError> {
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    return errorFromBody(response.status, parsed);
  }

  async function call<N extends PortalRouteName>(
    name: N,
    input: RouteInput<PortalRoutes[N]>,
  ): Promise<RouteReply<PortalRoutes[N]>> {
    const route: PortalRoute = PORTAL_ROUTES[name];
    const response = await send(route, input, 'application/json');
    if (!response.ok) throw await refusal(response);
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    if (!Value.Check(route.reply, parsed)) {
      throw new PortalError('ERR_PORTAL_REPLY_INVALID', {
        detail: `${route.method} ${route.path} ${response.status}: ${firstBreak(route.reply, parsed)}`,
      });
    }
    return parsed as RouteReply<PortalRoutes[N]>;
  }

  /** A file route (`download` in its entry): the bytes, or the portal's refusal as a PortalError. */
  async function download<N extends PortalRouteName>(
    name: N,
    input: RouteInput<PortalRoutes[N]>,
  ): Promise<DownloadedFile> {
    const route: PortalRoute = PORTAL_ROUTES[name];
    if (!route.download) throw new TypeError(`${route.method} ${route.path} is not a file route`);
    const response = await send(route, input, `${route.download.contentType}, application/json`);
    if (!response.ok) throw await refusal(response);
    const contentType = response.headers.get('Content-Type') ?? '';
    const accepted = [route.download.contentType, ...(route.download.alternatives ?? [])];
    if (!accepted.some((type) => contentType.startsWith(type))) {
      throw new PortalError('ERR_PORTAL_REPLY_INVALID', {
        detail: `${route.method} ${route.path}: ${contentType || 'no Content-Type'}`,
      });
    }
    return {
      blob: await response.blob(),
      fileName: fileNameOf(response.headers.get('Content-Disposition')),
      contentType,
    };
  }

  return {
    base,
    call,
    download,
    health: () => call('health', {}),
    nonce: () => call('nonce', {}),
    setNhiCardPassword: (proof: NhiCardProof) => call('setNhiCardPassword', { body: { proof } }),
    register: (body: RouteBody<PortalRoutes['register']>) => call('register', { body }),
    cancelRegistration: (proof: Proof) => call('cancelRegistration', { body: { proof } }),
    login: (body: RouteBody<PortalRoutes['login']>) => call('login', { body }),
    currentSession: () => call('currentSession', {}),
    logout: () => call('logout', {}),
    clerks: () => call('clerks', {}),
    addClerk: (body: RouteBody<PortalRoutes['addClerk']>) => call('addClerk', { body }),
    revokeClerk: (clerkId: string) => call('revokeClerk', { params: { clerkId } }),
    home: () => call('home', {}),
    roster: (query: RouteQuery<PortalRoutes['roster']>) => call('roster', { query }),
    filingHistory: (query: RouteQuery<PortalRoutes['filingHistory']>) => call('filingHistory', { query }),
    revealIdNumber: (body: RouteBody<PortalRoutes['revealIdNumber']>) => call('revealIdNumber', { body }),
    rosterExport: (query: RouteQuery<PortalRoutes['rosterExport']>) => download('rosterExport', { query }),
    historyExport: (query: RouteQuery<PortalRoutes['historyExport']>) => download('historyExport', { query }),
    submitFilings: (body: RouteBody<PortalRoutes['submitFilings']>) => call('submitFilings', { body }),
    submission: (id: string) => call('submission', { params: { id } }),
    submissionSignature: (id: string) => download('submissionSignature', { params: { id } }),
    previewBatch: (body: RouteBody<PortalRoutes['previewBatch']>) => call('previewBatch', { body }),
    batchTemplate: (format: 'csv' | 'xlsx') =>
      download(format === 'csv' ? 'batchTemplateCsv' : 'batchTemplateXlsx', {}),
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
