/// <reference lib="dom" />
/**
 * The portal API client (extension/pages/portal/api.ts) against a fake fetch: URLs and methods,
 * JSON and bearer headers, no cookies, refusals → PortalError with code and field, and an
 * unreachable portal.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createPortalApi,
  errorFromBody,
  isSessionLost,
  PortalError,
} from '../../../extension/pages/portal/api.ts';

const BASE = 'https://portal.test';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn((url: string | URL | Request, init?: RequestInit) => {
    const call = { url: url as string, init: init ?? {} };
    calls.push(call);
    return Promise.resolve(answer(call));
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function api(answer: (call: Call) => Response | Promise<Response>, token?: string) {
  const fake = fakeFetch(answer);
  const client = createPortalApi({
    base: `${BASE}/`,
    token: () => Promise.resolve(token),
    fetch: fake.fetch,
  });
  return { client, calls: fake.calls };
}

const headers = (call: Call) => call.init.headers as Record<string, string>;

describe('portal API client', () => {
  it('asks for a nonce without a body or a token, never sending cookies', async () => {
    const { client, calls } = api(() => json(200, { nonce: 'n', expiresAt: 'e' }));
    await expect(client.nonce()).resolves.toEqual({ nonce: 'n', expiresAt: 'e' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${BASE}/api/nonces`);
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBeUndefined();
    expect(calls[0]!.init.credentials).toBe('omit');
    expect(headers(calls[0]!)).toEqual({ Accept: 'application/json' });
  });

  it('sends JSON bodies with Content-Type and the session token as Bearer', async () => {
    const { client, calls } = api(() => json(200, { clerk: { id: 'c1' } }), 'tok-123');
    const body = {
      kind: 'nhi-card' as const,
      cardNumber: '000012345678',
      idNumber: 'A123456789',
      name: '王大明',
    };
    await client.addClerk(body);
    const call = calls[0]!;
    expect(call.url).toBe(`${BASE}/api/units/current/clerks`);
    expect(call.init.method).toBe('POST');
    expect(headers(call)).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: 'Bearer tok-123',
    });
    expect(JSON.parse(call.init.body as string)).toEqual(body);
  });

  it('uses the routes of API.md', async () => {
    const { client, calls } = api(() => json(200, { ok: true }), 'tok');
    const proof = { kind: 'certificate' as const, nonce: 'n', token: {} as never };
    await client.login({ role: 'unit', proof });
    await client.register({ proof, email: 'a@b.tw' });
    await client.cancelRegistration(proof);
    await client.setNhiCardPassword({
      kind: 'nhi-card',
      nonce: 'n',
      cardNumber: '1',
      response: 'r',
      password: 'p',
    });
    await client.currentSession();
    await client.logout();
    await client.clerks();
    await client.revokeClerk('a/b');
    await client.home();
    expect(calls.map((c) => `${c.init.method} ${c.url.slice(BASE.length)}`)).toEqual([
      'POST /api/sessions',
      'POST /api/registrations',
      'DELETE /api/registrations/current',
      'POST /api/nhi-cards/password',
      'GET /api/sessions/current',
      'DELETE /api/sessions/current',
      'GET /api/units/current/clerks',
      'DELETE /api/units/current/clerks/a%2Fb',
      'GET /api/home',
    ]);
    expect(JSON.parse(calls[2]!.init.body as string)).toEqual({ proof });
    // No body, no Content-Type (logout).
    expect(headers(calls[5]!)['Content-Type']).toBeUndefined();
    expect(headers(calls[5]!).Authorization).toBe('Bearer tok');
  });

  it('turns the error body into a PortalError with code, field and status', async () => {
    const { client } = api(() =>
      json(400, { error: { code: 'ERR_PORTAL_INVALID_ID_NUMBER', message: 'bad id', field: 'idNumber' } }),
    );
    const error = await client.addClerk({ kind: 'certificate', certificate: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect(error).toMatchObject({ code: 'ERR_PORTAL_INVALID_ID_NUMBER', field: 'idNumber', status: 400 });
  });

  it('an error without a field has none; an unknown code counts as an internal error', () => {
    expect(
      errorFromBody(409, { error: { code: 'ERR_PORTAL_ALREADY_REGISTERED', message: 'm' } }),
    ).toMatchObject({
      code: 'ERR_PORTAL_ALREADY_REGISTERED',
      field: undefined,
    });
    expect(errorFromBody(500, { error: { code: 'ERR_SOMETHING_NEW', message: 'm' } }).code).toBe(
      'ERR_PORTAL_INTERNAL',
    );
  });

  it('judges answers that are not the portal error body by their status', async () => {
    const html = (status: number) => new Response('<html>proxy</html>', { status });
    for (const [status, code] of [
      [502, 'ERR_PORTAL_INTERNAL'],
      [429, 'ERR_PORTAL_RATE_LIMITED'],
      [404, 'ERR_PORTAL_NOT_FOUND'],
      [401, 'ERR_PORTAL_SESSION_EXPIRED'],
    ] as const) {
      const { client } = api(() => html(status));
      await expect(client.home()).rejects.toMatchObject({ code, status });
    }
    const { client } = api(() => new Response('not json', { status: 200 }));
    await expect(client.home()).rejects.toMatchObject({ code: 'ERR_PORTAL_INTERNAL' });
  });

  it('a network failure means the portal is unreachable', async () => {
    const { client } = api(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await client.nonce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).code).toBe('unreachable');
    expect((error as PortalError).status).toBeUndefined();
  });

  it('a portal that does not answer in time is unreachable too', async () => {
    const fetch = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(new DOMException('timed out', 'TimeoutError'))),
      )) as unknown as typeof globalThis.fetch;
    const client = createPortalApi({
      base: BASE,
      token: () => Promise.resolve(undefined),
      fetch,
      timeoutMs: 20,
    });
    await expect(client.health()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('tells a lost session from other refusals', () => {
    expect(isSessionLost(new PortalError('ERR_PORTAL_SESSION_EXPIRED', 'm'))).toBe(true);
    expect(isSessionLost(new PortalError('ERR_PORTAL_SESSION_MISSING', 'm'))).toBe(true);
    expect(isSessionLost(new PortalError('ERR_PORTAL_ROLE', 'm'))).toBe(false);
    expect(isSessionLost(new Error('x'))).toBe(false);
  });
});
