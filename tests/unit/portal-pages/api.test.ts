/// <reference lib="dom" />
/**
 * The portal API client (extension/pages/portal/api.ts) against a fake fetch: URLs and methods of the
 * shared route table, JSON and bearer headers, no cookies, refusals → PortalError with code and
 * field, replies that break the route's reply schema → ERR_PORTAL_REPLY_INVALID, and an unreachable
 * portal.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPortalApi, errorFromBody, isSessionLost } from '../../../extension/pages/portal/api.ts';
import { PORTAL_ROUTES, type PortalReply, type PortalRouteName } from '../../../shared/portal/api.ts';
import { PortalError } from '../../../shared/portal/errors.ts';

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

const UNIT = { code: '012345678', name: '測試股份有限公司', ubn: '04595257' };
const SUBJECT = { kind: 'certificate' as const, name: '測試股份有限公司', credential: '****5678' };
const CLERK = {
  id: '0000000000000000000000000000001',
  kind: 'nhi-card' as const,
  displayName: '王大明',
  credential: '********5678',
  status: 'active' as const,
  createdAt: '2026-01-02T03:04:05.000Z',
};
const SLIP_PERIOD = {
  id: '2026-11',
  cycle: 'monthly' as const,
  months: ['2026-11'],
  issueMonth: '2026-12',
  issueDate: '2026-12-20',
  dueDate: '2026-12-31',
};
/** A reply each route may give (its schema in shared/portal/api.ts). */
const REPLIES: { [N in PortalRouteName]: PortalReply<N> } = {
  health: { ok: true, version: '0.1.0', time: '2026-01-02T03:04:05.000Z' },
  nonce: { nonce: 'A'.repeat(43) + '=', expiresAt: '2026-01-02T03:09:05.000Z' },
  setNhiCardPassword: { registered: true },
  register: {
    unit: UNIT,
    registration: {
      id: '0000000000000000000000000000002',
      method: 'certificate',
      credential: '****5678',
      contactEmail: 'h***@example.com',
      status: 'active',
      createdAt: '2026-01-02T03:04:05.000Z',
    },
  },
  cancelRegistration: { cancelled: true },
  login: {
    sessionToken: 'tok-1234567890abcdef',
    expiresAt: '2026-01-02T04:04:05.000Z',
    role: 'unit',
    unit: UNIT,
    subject: SUBJECT,
  },
  currentSession: { role: 'unit', unit: UNIT, subject: SUBJECT, expiresAt: '2026-01-02T04:04:05.000Z' },
  logout: { loggedOut: true },
  clerks: { clerks: [CLERK], limit: 5 },
  addClerk: { clerk: CLERK },
  revokeClerk: { clerk: { ...CLERK, status: 'revoked', revokedAt: '2026-01-03T00:00:00.000Z' } },
  home: { unit: UNIT, role: 'clerk', subject: SUBJECT, clerkCount: 1 },
  roster: { asOf: '2026-12-02', page: 1, pageSize: 20, total: 0, persons: [] },
  filingHistory: { page: 1, pageSize: 20, total: 0, filings: [] },
  // File routes: their reply schema describes nothing sent (the client's download() reads them).
  rosterExport: null,
  historyExport: null,
  revealIdNumber: { idNumber: 'A123456789' },
  slipSubscription: { active: false, cycle: 'monthly', next: SLIP_PERIOD },
  subscribeSlips: {
    active: false,
    pendingEmail: 'hr@example.test',
    pendingExpiresAt: '2026-12-03T00:00:00.000Z',
    cycle: 'monthly',
    next: SLIP_PERIOD,
  },
  cancelSlipSubscription: {
    active: false,
    cancelledAt: '2026-12-02T00:00:00.000Z',
    cycle: 'monthly',
    next: SLIP_PERIOD,
  },
  confirmSlipPage: null,
  confirmSlipAddress: null,
  slipPeriods: { cycle: 'monthly', periods: [SLIP_PERIOD], retainedFrom: '2025-01' },
  slipPdf: null,
  statementPdf: null,
  statementCsv: null,
  submitFilings: {
    receiptNo: '1151202-A7K3Q9XM',
    submissionId: '0000000000000000000000000000003',
    receivedAt: '2026-12-02T06:30:01.000Z',
    filingCount: 1,
    contentSha256: 'ab'.repeat(32),
    warnings: [],
  },
  submission: {
    id: '0000000000000000000000000000003',
    receiptNo: '1151202-A7K3Q9XM',
    state: 'received',
    submittedAt: '2026-12-02T06:30:00.000Z',
    receivedAt: '2026-12-02T06:30:01.000Z',
    filingCount: 1,
    acceptedCount: 0,
    rejectedCount: 0,
    contentSha256: 'ab'.repeat(32),
    signatureFormat: 'cms',
    signer: { kind: 'certificate', label: '王大明' },
    filings: [{ seq: 1, kind: 'enrol', idNumber: 'A1*****789', state: 'received', late: false, issues: [] }],
  },
  submissionSignature: null,
  previewBatch: {
    fileName: 'batch.csv',
    encoding: 'big5',
    counts: { rows: 1, valid: 1, refused: 0, warned: 0 },
    report: [],
    filings: [
      { row: 2, filing: { kind: 'withdraw', idNumber: 'B222222228', date: '2026-12-01', reason: 'W01' } },
    ],
  },
  batchTemplateCsv: null,
  batchTemplateXlsx: null,
};

/** The route a request is for (by method and path), and the reply it gets. */
function routeOf(call: Call): PortalRouteName {
  const path = new URL(call.url).pathname;
  const found = (Object.keys(PORTAL_ROUTES) as PortalRouteName[]).find((name) => {
    const route = PORTAL_ROUTES[name];
    const pattern = new RegExp(`^${route.path.replace(/:\w+/g, '[^/]+')}$`);
    return route.method === call.init.method && pattern.test(path);
  });
  if (!found) throw new Error(`no route for ${call.init.method} ${path}`);
  return found;
}
const portal = (call: Call) => json(200, REPLIES[routeOf(call)]);

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
    const { client, calls } = api(portal, 'tok-123');
    const body = {
      kind: 'nhi-card' as const,
      cardNumber: '000012345678',
      idNumber: 'A123456789',
      name: '王大明',
    };
    await expect(client.addClerk(body)).resolves.toEqual(REPLIES.addClerk);
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

  it('uses the routes of the shared table', async () => {
    const { client, calls } = api(portal, 'tok');
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
    await expect(client.revokeClerk('a/b')).resolves.toEqual(REPLIES.revokeClerk);
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
    expect(error).toMatchObject({ code: 'ERR_PORTAL_INVALID_ID_NUMBER', field: 'idNumber', statusCode: 400 });
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
      const error = await client.home().catch((e: unknown) => e);
      expect(error).toMatchObject({ code });
      expect((error as PortalError).detail).toContain(`HTTP ${status}`);
    }
  });

  it('gives every route the reply its schema allows', async () => {
    for (const name of Object.keys(PORTAL_ROUTES) as PortalRouteName[]) {
      const { client } = api(() => json(200, REPLIES[name]), 'tok');
      const input = name === 'revokeClerk' ? { params: { clerkId: CLERK.id } } : {};
      // The bodies do not matter to the fake portal; the reply check does.
      await expect(client.call(name, input as never), name).resolves.toEqual(REPLIES[name]);
    }
  });

  it("refuses a reply that breaks the route's schema with ERR_PORTAL_REPLY_INVALID", async () => {
    const broken: Array<[string, () => Response]> = [
      ['a missing property', () => json(200, { unit: UNIT, role: 'unit', subject: SUBJECT })],
      ['a wrong type', () => json(200, { ...REPLIES.home, clerkCount: '1' })],
      ['a value outside the union', () => json(200, { ...REPLIES.home, role: 'admin' })],
      ['a nested break', () => json(200, { ...REPLIES.home, subject: { ...SUBJECT, kind: 'password' } })],
      ['an array', () => json(200, [])],
      ['null', () => json(200, null)],
      ['no JSON at all', () => new Response('not json', { status: 200 })],
    ];
    for (const [what, answer] of broken) {
      const error = await api(answer, 'tok')
        .client.home()
        .catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(PortalError);
      expect(error, what).toMatchObject({ code: 'ERR_PORTAL_REPLY_INVALID', statusCode: 502 });
      expect((error as PortalError).detail, what).toMatch(/^GET \/api\/home 200: /);
    }
    // Every route checks its own schema: another route's valid reply is refused too.
    const { client } = api(() => json(200, REPLIES.nonce), 'tok');
    await expect(
      client.login({ role: 'unit', proof: { kind: 'certificate', nonce: 'n', token: {} as never } }),
    ).rejects.toMatchObject({ code: 'ERR_PORTAL_REPLY_INVALID' });
    await expect(client.revokeClerk(CLERK.id)).rejects.toMatchObject({ code: 'ERR_PORTAL_REPLY_INVALID' });
  });

  it('a network failure means the portal is unreachable', async () => {
    const { client } = api(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await client.nonce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).code).toBe('ERR_PORTAL_UNREACHABLE');
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
    await expect(client.health()).rejects.toMatchObject({ code: 'ERR_PORTAL_UNREACHABLE' });
  });

  it('tells a lost session from other refusals', () => {
    expect(isSessionLost(new PortalError('ERR_PORTAL_SESSION_EXPIRED'))).toBe(true);
    expect(isSessionLost(new PortalError('ERR_PORTAL_SESSION_MISSING'))).toBe(true);
    expect(isSessionLost(new PortalError('ERR_PORTAL_ROLE'))).toBe(false);
    expect(isSessionLost(new Error('x'))).toBe(false);
  });
});
