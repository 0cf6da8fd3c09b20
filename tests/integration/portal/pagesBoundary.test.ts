/// <reference lib="dom" />
/**
 * The pages → portal boundary, both ends real: the bundled pages' client (extension/pages/portal/api.ts)
 * talks to a real portal (fastify's inject, no socket). Both take the route table of
 * shared/portal/api.ts: the portal's real replies pass the pages' reply check; a request that breaks a
 * route's schema is refused by the portal with the documented code and field, and reaches the page as
 * that PortalError; the forms' limits are the portal's. The `@ts-expect-error` lines show that a page
 * sending a wrong body to a route does not typecheck (`npm run typecheck` fails if one compiles).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalApi, type PortalApi } from '../../../extension/pages/portal/api.ts';
import {
  EMAIL_MAX,
  emailError,
  nameError,
  NAME_MAX,
  passwordError,
  PASSWORD_MAX,
  PASSWORD_MIN,
  unitCodeError,
  UNIT_CODE_MAX,
} from '../../../extension/pages/portal/forms.ts';
import { PORTAL_ROUTES, type CertificateProof, type NhiCardProof } from '../../../shared/portal/api.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { certificateProof, createPortal, type Portal } from './harness.ts';

/** The lab signs a web-eid:1.0 token (its format typed as a plain string). */
const unitProof = async () => (await certificateProof(portal.app, pki.leaves.company)) as CertificateProof;

/** fetch for the pages' client, answered by the real portal through fastify's inject. */
function portalFetch(app: FastifyInstance): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const answer = await app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST' | 'DELETE',
      url: url.pathname + url.search,
      headers: (init?.headers ?? {}) as Record<string, string>,
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    return new Response(answer.body === '' ? null : answer.body, {
      status: answer.statusCode,
      headers: { 'content-type': String(answer.headers['content-type'] ?? '') },
    });
  };
}

/** The refusal a call ends in (fails the test if the call succeeds or throws something else). */
async function refusal(call: Promise<unknown>): Promise<PortalError> {
  const error = await call.then(
    () => new Error('the portal accepted it'),
    (e: unknown) => e,
  );
  if (!(error instanceof PortalError)) throw error;
  return error;
}

const NONCE = 'A'.repeat(43) + '=';
/** Well-formed, so the schema passes it; the portal never issued the nonce. */
const NHI_PROOF: NhiCardProof = {
  kind: 'nhi-card',
  nonce: NONCE,
  cardNumber: '000012345678',
  response: 'B'.repeat(22) + '==',
  password: 'Test1234',
};
const CLERK = {
  kind: 'nhi-card' as const,
  cardNumber: '000012345681',
  idNumber: 'E122334457',
  name: '張志明 TEST',
};

let pki: TestPki;
let portal: Portal;
let client: PortalApi;
let sessionToken: string | undefined;

beforeAll(async () => {
  pki = await createTestPki();
  portal = await createPortal({ name: 'SQLite', kind: 'sqlite' }, { pki });
  client = createPortalApi({
    base: 'https://portal.cardbridge.test',
    token: () => Promise.resolve(sessionToken),
    fetch: portalFetch(portal.app),
  });
}, 120_000);
afterAll(async () => {
  await portal?.close();
});

describe('pages → portal: both ends take the shared route table', () => {
  it("the portal's real replies pass the pages' reply checks", async () => {
    await expect(client.health()).resolves.toMatchObject({ ok: true });
    const { unit } = await client.register({ proof: await unitProof() });
    const login = await client.login({
      role: 'unit',
      proof: await unitProof(),
    });
    expect(login.unit.code).toBe(unit.code);
    sessionToken = login.sessionToken;
    await expect(client.currentSession()).resolves.toMatchObject({ role: 'unit' });
    await expect(client.home()).resolves.toMatchObject({ clerkCount: 0 });
    const { clerk } = await client.addClerk(CLERK);
    await expect(client.clerks()).resolves.toMatchObject({ clerks: [{ id: clerk.id, status: 'active' }] });
    await expect(client.revokeClerk(clerk.id)).resolves.toMatchObject({ clerk: { status: 'revoked' } });
  });

  it('lists every route of the table in /openapi.json, with its body and reply', async () => {
    const openapi = (await portal.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    }>();
    for (const [name, route] of Object.entries(PORTAL_ROUTES)) {
      const operation = openapi.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation, name).toBeDefined();
      expect(operation!.requestBody !== undefined, name).toBe('body' in route);
      // A file route's 200 names its media types (binary); every route's refusals are JSON.
      expect(Object.keys(operation!.responses).sort(), name).toEqual(['200', '4XX', '5XX']);
      if ('download' in route) {
        const content = (operation!.responses['200'] as { content?: Record<string, unknown> }).content;
        expect(Object.keys(content ?? {}), name).toContain(route.download.contentType);
      }
    }
  });
});

describe("pages → portal: a request that breaks a route's schema is refused with the documented error", () => {
  it('a wrong body does not typecheck, and the portal refuses it with the code and field', async () => {
    const proof = await unitProof();
    const refused = [
      // @ts-expect-error a role the route does not know
      await refusal(client.login({ role: 'admin', proof })),
      // @ts-expect-error an NHI-card clerk needs the ID number
      await refusal(client.addClerk({ kind: 'nhi-card', cardNumber: CLERK.cardNumber, name: CLERK.name })),
      // @ts-expect-error no property beyond the route's
      await refusal(client.register({ proof, unitCode: '012345678', contactEmail: 'a@b.tw' })),
      // @ts-expect-error the web password is text
      await refusal(client.setNhiCardPassword({ ...NHI_PROOF, password: 12345678 })),
      // @ts-expect-error withdrawing a clerk names the clerk
      await refusal(client.call('revokeClerk', {})),
    ];
    expect(refused.map(({ code, field }) => ({ code, field }))).toEqual([
      { code: 'ERR_PORTAL_BAD_REQUEST', field: 'role' },
      { code: 'ERR_PORTAL_INVALID_ID_NUMBER', field: 'idNumber' },
      { code: 'ERR_PORTAL_BAD_REQUEST', field: 'contactEmail' },
      { code: 'ERR_PORTAL_BAD_REQUEST', field: 'proof.password' },
      { code: 'ERR_PORTAL_BAD_REQUEST', field: 'clerkId' },
    ]);
    for (const error of refused) expect(error.statusCode).toBe(400);
  });

  it("the forms refuse what the portal's schema refuses, at the same limits", async () => {
    const register = (unitCode: string, password: string) =>
      refusal(client.register({ proof: { ...NHI_PROOF, password }, unitCode }));
    // A card the portal does not know: a body its schema passes is still refused.
    const addClerk = (name: string, email?: string) =>
      refusal(client.addClerk({ ...CLERK, cardNumber: '999999999999', name, ...(email ? { email } : {}) }));
    // DNS labels are at most 63 characters: three labels and .com make the longest domain.
    const labels = (first: number) => `${'d'.repeat(first)}.${'d'.repeat(61)}.${'d'.repeat(61)}.com`;
    const longest = `${'x'.repeat(64)}@${labels(EMAIL_MAX - 64 - 1 - 2 * 61 - 2 - 4)}`;
    const tooLong = `${'x'.repeat(64)}@${labels(EMAIL_MAX - 64 - 1 - 2 * 61 - 2 - 4 + 1)}`;

    // Over a limit: the form and the portal refuse, the portal naming the field.
    expect(unitCodeError('9'.repeat(UNIT_CODE_MAX + 1), true)).toBe('ERR_PORTAL_INVALID_UNIT_CODE');
    expect(await register('9'.repeat(UNIT_CODE_MAX + 1), 'Test1234')).toMatchObject({
      code: 'ERR_PORTAL_INVALID_UNIT_CODE',
      field: 'unitCode',
    });
    for (const password of ['x'.repeat(PASSWORD_MIN - 1), 'x'.repeat(PASSWORD_MAX + 1)]) {
      expect(passwordError(password)).toBe('portal_passwordLength');
      expect(await register('012345678', password)).toMatchObject({
        code: 'ERR_PORTAL_BAD_REQUEST',
        field: 'proof.password',
      });
    }
    expect(nameError('名'.repeat(NAME_MAX + 1))).toBe('portal_nameTooLong');
    expect(await addClerk('名'.repeat(NAME_MAX + 1))).toMatchObject({
      code: 'ERR_PORTAL_BAD_REQUEST',
      field: 'name',
    });
    for (const email of ['hr@example', 'h r@example.com', tooLong]) {
      expect(emailError(email)).toBe('ERR_PORTAL_INVALID_EMAIL');
      expect(await addClerk(CLERK.name, email)).toMatchObject({
        code: 'ERR_PORTAL_INVALID_EMAIL',
        field: 'email',
      });
    }

    // At a limit: the form lets it through and so does the portal's schema (the unissued nonce and
    // the unknown card are what is refused then).
    expect(unitCodeError('9'.repeat(UNIT_CODE_MAX), true)).toBeUndefined();
    expect(passwordError('x'.repeat(PASSWORD_MAX))).toBeUndefined();
    expect((await register('9'.repeat(UNIT_CODE_MAX), 'x'.repeat(PASSWORD_MAX))).code).toBe(
      'ERR_PORTAL_NONCE_INVALID',
    );
    expect(passwordError('x'.repeat(PASSWORD_MIN))).toBeUndefined();
    expect((await register('012345678', 'x'.repeat(PASSWORD_MIN))).code).toBe('ERR_PORTAL_NONCE_INVALID');
    expect(nameError('名'.repeat(NAME_MAX))).toBeUndefined();
    expect(emailError(longest)).toBeUndefined();
    const atLimits = await addClerk('名'.repeat(NAME_MAX), longest);
    expect(atLimits.code).not.toMatch(/^ERR_PORTAL_(BAD_REQUEST|INVALID_EMAIL)$/);
  });
});
