/**
 * Portal API: clerk assignment by citizen certificate and by NHI card, the limit, duplicates, listing,
 * withdrawal, clerk logins, sessions (expiry with the injected clock, logout) and role checks. Runs on
 * SQLite and PostgreSQL; mail goes over SMTP to the lab's SMTP server (lab/smtp.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, TEST_IDENTITIES, type TestPki } from '../../../lab/pki/testPki.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../../lab/smtp.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  del,
  errorOf,
  get,
  loginUnit,
  nhiProof,
  post,
  registerWith,
  setPassword,
  startBackends,
  type Portal,
} from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;
let smtp: SmtpLab;

beforeAll(async () => {
  pki = await createTestPki();
  smtp = await startSmtp();
}, 120_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
});

const COMPANY_CODE = '012345678';
const CLERK_CARD = { cardNumber: '000012345681', idNumber: 'E122334457', name: '張志明 TEST' };
const CLERK_CARD_2 = { cardNumber: '000012345682', idNumber: 'H220001110', name: '李淑芬 TEST' };

interface ClerkBody {
  id: string;
  kind: string;
  displayName: string;
  credential: string;
  idLast4?: string;
  status: string;
  revokedAt?: string;
}

const eventOf = (mail: ReceivedMail) => mail.headers['x-cardbridge-event'];

describeEachBackend(backends, 'portal clerks and sessions on $name', (backend) => {
  let portal: Portal;
  let unitToken: string;
  beforeEach(async () => {
    smtp.mails.length = 0;
    portal = await createPortal(backend, { pki, smtpUrl: smtp.url, env: { PORTAL_MAX_CLERKS: '3' } });
    await registerWith(portal.app, pki.leaves.company);
    unitToken = await loginUnit(portal.app, pki.leaves.company);
  });
  afterEach(async () => {
    await portal.close();
  });

  const addCertificateClerk = (leaf = pki.leaves.citizenSign, token = unitToken) =>
    post(
      portal.app,
      '/api/units/current/clerks',
      { kind: 'certificate', certificate: leaf.certificate.toString('base64') },
      token,
    );
  const addCardClerk = (card = CLERK_CARD, token = unitToken) =>
    post(portal.app, '/api/units/current/clerks', { kind: 'nhi-card', ...card }, token);
  const clerkLogin = async (proof: unknown, unitCode?: string) =>
    post(portal.app, '/api/sessions', { role: 'clerk', proof, ...(unitCode ? { unitCode } : {}) });

  describe('assignment', () => {
    it('adds a clerk by citizen certificate and mails the unit over SMTP', async () => {
      const response = await addCertificateClerk();
      expect(response.statusCode).toBe(200);
      const { clerk } = response.json<{ clerk: ClerkBody }>();
      expect(clerk).toMatchObject({
        kind: 'certificate',
        displayName: TEST_IDENTITIES.citizen.name,
        idLast4: '6789',
        status: 'active',
      });
      expect(clerk.credential).toMatch(/^[0-9a-f]+$/);
      const mail = await smtp.waitFor((m) => eventOf(m) === 'clerk-added');
      expect(mail.to).toEqual(['hr@company.example.test']);
      expect(mail.headers.subject).toMatch(/=\?UTF-8\?/i);
      expect((await auditRows(portal.db, 'clerk-add'))[0]).toMatchObject({
        outcome: 'success',
        unit_code: COMPANY_CODE,
      });
    });

    it("tells the clerk too, at the clerk's own address, when added and when withdrawn", async () => {
      const added = await post(
        portal.app,
        '/api/units/current/clerks',
        { kind: 'nhi-card', ...CLERK_CARD, email: 'clerk.self@example.test' },
        unitToken,
      );
      expect(added.statusCode).toBe(200);
      const notice = await smtp.waitFor((m) => eventOf(m) === 'clerk-added-notice');
      expect(notice.to).toEqual(['clerk.self@example.test']);
      const { clerk } = added.json<{ clerk: ClerkBody }>();
      expect((await del(portal.app, `/api/units/current/clerks/${clerk.id}`, unitToken)).statusCode).toBe(
        200,
      );
      const withdrawn = await smtp.waitFor((m) => eventOf(m) === 'clerk-revoked-notice');
      expect(withdrawn.to).toEqual(['clerk.self@example.test']);
      // The unit's own mails still go to the unit, and a clerk without an address gets none.
      await addCertificateClerk();
      await smtp.waitFor(
        (m) =>
          eventOf(m) === 'clerk-added' && smtp.mails.filter((x) => eventOf(x) === 'clerk-added').length === 2,
      );
      expect(smtp.mails.filter((m) => eventOf(m) === 'clerk-added-notice')).toHaveLength(1);
      expect(
        smtp.mails
          .filter((m) => eventOf(m) === 'clerk-added')
          .every((m) => m.to[0] === 'hr@company.example.test'),
      ).toBe(true);
    });

    it('adds a clerk by NHI card number; the card must belong to the ID number', async () => {
      const response = await addCardClerk();
      expect(response.statusCode).toBe(200);
      expect(response.json<{ clerk: ClerkBody }>().clerk).toMatchObject({
        kind: 'nhi-card',
        displayName: CLERK_CARD.name,
        credential: '0000****5681',
        idLast4: '4457',
      });
      const mismatch = await addCardClerk({ ...CLERK_CARD_2, idNumber: CLERK_CARD.idNumber });
      expect(errorOf(mismatch)).toMatchObject({ code: 'ERR_PORTAL_NHI_CARD_MISMATCH', field: 'idNumber' });
      const unknown = await addCardClerk({ ...CLERK_CARD, cardNumber: '999999999999' });
      expect(errorOf(unknown)).toMatchObject({ code: 'ERR_PORTAL_NHI_CARD_UNKNOWN', field: 'cardNumber' });
    });

    it.each([
      [
        'an ID number with a wrong check digit',
        { idNumber: 'E122334458' },
        'ERR_PORTAL_INVALID_ID_NUMBER',
        'idNumber',
      ],
      [
        'an ID number in the wrong form',
        { idNumber: 'e12233445' },
        'ERR_PORTAL_INVALID_ID_NUMBER',
        'idNumber',
      ],
      [
        'a card number with letters',
        { cardNumber: '00001234568X' },
        'ERR_PORTAL_INVALID_CARD_NUMBER',
        'cardNumber',
      ],
      ['a missing name', { name: undefined }, 'ERR_PORTAL_BAD_REQUEST', 'name'],
    ])('refuses %s with the field', async (_label, change, code, field) => {
      const response = await addCardClerk({ ...CLERK_CARD, ...change } as typeof CLERK_CARD);
      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toMatchObject({ code, field });
    });

    it('refuses a unit certificate or a revoked certificate as a clerk', async () => {
      expect(errorOf(await addCertificateClerk(pki.leaves.agency))).toMatchObject({
        code: 'ERR_PORTAL_CERT_NOT_PERSON',
        field: 'certificate',
      });
      expect(errorOf(await addCertificateClerk(pki.leaves.citizenRevoked)).code).toBe(
        'ERR_PORTAL_CERT_REVOKED',
      );
      expect(errorOf(await addCertificateClerk(pki.leaves.citizenForeign)).code).toBe(
        'ERR_PORTAL_CERT_UNTRUSTED',
      );
      const notCert = await post(
        portal.app,
        '/api/units/current/clerks',
        { kind: 'certificate', certificate: 'AAAA' },
        unitToken,
      );
      expect(errorOf(notCert)).toMatchObject({ code: 'ERR_PORTAL_BAD_REQUEST', field: 'certificate' });
    });

    it('refuses a duplicate and stops at the limit', async () => {
      expect((await addCertificateClerk()).statusCode).toBe(200);
      const duplicate = await addCertificateClerk();
      expect(duplicate.statusCode).toBe(409);
      expect(errorOf(duplicate).code).toBe('ERR_PORTAL_CLERK_DUPLICATE');
      expect((await addCardClerk()).statusCode).toBe(200);
      expect((await addCardClerk(CLERK_CARD_2)).statusCode).toBe(200);
      const over = await addCertificateClerk(pki.leaves.citizenEc);
      expect(over.statusCode).toBe(409);
      expect(errorOf(over).code).toBe('ERR_PORTAL_CLERK_LIMIT');
      expect((await auditRows(portal.db, 'clerk-add')).map((r) => r.error_code)).toEqual([
        null,
        'ERR_PORTAL_CLERK_DUPLICATE',
        null,
        null,
        'ERR_PORTAL_CLERK_LIMIT',
      ]);
      const list = await get(portal.app, '/api/units/current/clerks', unitToken);
      expect(list.json<{ clerks: ClerkBody[]; limit: number }>()).toMatchObject({ limit: 3 });
      expect(list.json<{ clerks: ClerkBody[] }>().clerks.map((c) => c.kind)).toEqual([
        'certificate',
        'nhi-card',
        'nhi-card',
      ]);
    });

    it('keeps the limit when additions race', async () => {
      const cards = [CLERK_CARD, CLERK_CARD_2];
      const results = await Promise.all([
        addCertificateClerk(),
        addCertificateClerk(pki.leaves.citizenEc),
        ...cards.map((c) => addCardClerk(c)),
      ]);
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
      expect(results.filter((r) => r.statusCode === 409).map((r) => errorOf(r).code)).toEqual([
        'ERR_PORTAL_CLERK_LIMIT',
      ]);
    });

    it('withdraws a clerk: listed as revoked, mail sent, a freed place can be used again', async () => {
      const { clerk } = (await addCertificateClerk()).json<{ clerk: ClerkBody }>();
      const response = await del(portal.app, `/api/units/current/clerks/${clerk.id}`, unitToken);
      expect(response.statusCode).toBe(200);
      expect(response.json<{ clerk: ClerkBody }>().clerk).toMatchObject({ id: clerk.id, status: 'revoked' });
      expect(response.json<{ clerk: ClerkBody }>().clerk.revokedAt).toBeTruthy();
      await smtp.waitFor((m) => eventOf(m) === 'clerk-revoked');
      const again = await del(portal.app, `/api/units/current/clerks/${clerk.id}`, unitToken);
      expect(again.statusCode).toBe(404);
      expect(errorOf(again).code).toBe('ERR_PORTAL_CLERK_NOT_FOUND');
      expect((await addCertificateClerk()).statusCode).toBe(200);
      expect(smtp.mails.map(eventOf)).toEqual([
        'registration-approved',
        'clerk-added',
        'clerk-revoked',
        'clerk-added',
      ]);
    });
  });

  describe('clerk login', () => {
    it('logs in an assigned clerk with the citizen certificate', async () => {
      await addCertificateClerk();
      const response = await clerkLogin(await certificateProof(portal.app, pki.leaves.citizenSign));
      expect(response.statusCode).toBe(200);
      const body = response.json<{
        sessionToken: string;
        role: string;
        unit: { code: string };
        subject: { name: string };
      }>();
      expect(body).toMatchObject({
        role: 'clerk',
        unit: { code: COMPANY_CODE },
        subject: { name: TEST_IDENTITIES.citizen.name },
      });
      const home = await get(portal.app, '/api/home', body.sessionToken);
      expect(home.json()).toMatchObject({ role: 'clerk', unit: { code: COMPANY_CODE }, clerkCount: 1 });
      // One success row, written with the session (one statement on PostgreSQL, a transaction on SQLite).
      expect(await auditRows(portal.db, 'login-clerk')).toMatchObject([
        { outcome: 'success', unit_code: COMPANY_CODE },
      ]);
    });

    it('logs in an assigned clerk with the NHI card and password', async () => {
      await addCardClerk();
      await setPassword(portal.app, CLERK_CARD.cardNumber);
      const response = await clerkLogin(await nhiProof(portal.app, CLERK_CARD.cardNumber));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        role: 'clerk',
        subject: { kind: 'nhi-card', credential: '0000****5681' },
      });
      const wrong = await clerkLogin(
        await nhiProof(portal.app, CLERK_CARD.cardNumber, { password: 'Wrong999' }),
      );
      expect(errorOf(wrong).code).toBe('ERR_PORTAL_PASSWORD_WRONG');
    });

    it('refuses an unassigned clerk, and a unit certificate as a clerk', async () => {
      const response = await clerkLogin(await certificateProof(portal.app, pki.leaves.citizenSign));
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('ERR_PORTAL_CLERK_NOT_ASSIGNED');
      const unitCert = await clerkLogin(await certificateProof(portal.app, pki.leaves.company));
      expect(errorOf(unitCert).code).toBe('ERR_PORTAL_CERT_NOT_PERSON');
      expect((await auditRows(portal.db, 'login-clerk')).map((r) => r.error_code)).toEqual([
        'ERR_PORTAL_CLERK_NOT_ASSIGNED',
        'ERR_PORTAL_CERT_NOT_PERSON',
      ]);
    });

    it('refuses a withdrawn clerk at once and ends their sessions', async () => {
      const { clerk } = (await addCertificateClerk()).json<{ clerk: ClerkBody }>();
      const login = await clerkLogin(await certificateProof(portal.app, pki.leaves.citizenSign));
      const clerkToken = login.json<{ sessionToken: string }>().sessionToken;
      expect((await get(portal.app, '/api/home', clerkToken)).statusCode).toBe(200);
      await del(portal.app, `/api/units/current/clerks/${clerk.id}`, unitToken);
      const home = await get(portal.app, '/api/home', clerkToken);
      expect(home.statusCode).toBe(401);
      expect(errorOf(home).code).toBe('ERR_PORTAL_SESSION_EXPIRED');
      const again = await clerkLogin(await certificateProof(portal.app, pki.leaves.citizenSign));
      expect(errorOf(again).code).toBe('ERR_PORTAL_CLERK_REVOKED');
      expect((await auditRows(portal.db, 'login-clerk')).map((r) => r.error_code)).toEqual([
        null,
        'ERR_PORTAL_CLERK_REVOKED',
      ]);
    });

    it('asks for the unit code when the clerk works for two units', async () => {
      await registerWith(portal.app, pki.leaves.agency);
      const agencyToken = await loginUnit(portal.app, pki.leaves.agency);
      await addCardClerk();
      await addCardClerk(CLERK_CARD, agencyToken);
      await setPassword(portal.app, CLERK_CARD.cardNumber);
      const ambiguous = await clerkLogin(await nhiProof(portal.app, CLERK_CARD.cardNumber));
      expect(errorOf(ambiguous)).toMatchObject({ code: 'ERR_PORTAL_UNIT_CODE_REQUIRED', field: 'unitCode' });
      const chosen = await clerkLogin(await nhiProof(portal.app, CLERK_CARD.cardNumber), '023456789');
      expect(chosen.json()).toMatchObject({ unit: { code: '023456789' } });
    });
  });

  describe('sessions', () => {
    it('shows the current session and ends it on logout', async () => {
      const current = await get(portal.app, '/api/sessions/current', unitToken);
      expect(current.statusCode).toBe(200);
      expect(current.json()).toMatchObject({
        role: 'unit',
        unit: { code: COMPANY_CODE },
        subject: { kind: 'certificate' },
      });
      const row = await portal.db.selectFrom('sessions').select('token_hash').executeTakeFirstOrThrow();
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toBe(unitToken);
      const out = await del(portal.app, '/api/sessions/current', unitToken);
      expect(out.json()).toEqual({ loggedOut: true });
      expect(errorOf(await get(portal.app, '/api/sessions/current', unitToken)).code).toBe(
        'ERR_PORTAL_SESSION_EXPIRED',
      );
      expect((await auditRows(portal.db, 'logout'))[0]).toMatchObject({ outcome: 'success' });
    });

    it('expires after the configured lifetime (injected clock)', async () => {
      portal.clock.advance(29 * 60_000);
      expect((await get(portal.app, '/api/home', unitToken)).statusCode).toBe(200);
      portal.clock.advance(60_000);
      const expired = await get(portal.app, '/api/home', unitToken);
      expect(expired.statusCode).toBe(401);
      expect(errorOf(expired).code).toBe('ERR_PORTAL_SESSION_EXPIRED');
      // The refused session's unit and subject are on record, so the audit row names them.
      const [login] = await auditRows(portal.db, 'login-unit');
      expect(login!.unit_code).toMatch(/^\d{9}$/);
      expect(await auditRows(portal.db, 'session-check')).toMatchObject([
        {
          outcome: 'refused',
          error_code: 'ERR_PORTAL_SESSION_EXPIRED',
          detail: 'session expired',
          unit_code: login!.unit_code,
          // Session checks name the subject as the session does: kind and credential (serial).
          subject: `certificate:${login!.subject!.split(':').pop()}`,
        },
      ]);
    });

    it('refuses missing and unknown tokens', async () => {
      expect(errorOf(await get(portal.app, '/api/home')).code).toBe('ERR_PORTAL_SESSION_MISSING');
      expect(errorOf(await get(portal.app, '/api/home', 'x'.repeat(43))).code).toBe(
        'ERR_PORTAL_SESSION_EXPIRED',
      );
    });

    it('checks roles: a clerk cannot manage clerks or cancel the registration', async () => {
      await addCertificateClerk();
      const login = await clerkLogin(await certificateProof(portal.app, pki.leaves.citizenSign));
      const clerkToken = login.json<{ sessionToken: string }>().sessionToken;
      for (const response of [
        await get(portal.app, '/api/units/current/clerks', clerkToken),
        await addCardClerk(CLERK_CARD, clerkToken),
        await del(portal.app, '/api/registrations/current', clerkToken, {
          proof: await certificateProof(portal.app, pki.leaves.company),
        }),
      ]) {
        expect(response.statusCode).toBe(403);
        expect(errorOf(response).code).toBe('ERR_PORTAL_ROLE');
      }
      expect((await auditRows(portal.db, 'session-check')).map((r) => r.error_code)).toEqual([
        'ERR_PORTAL_ROLE',
        'ERR_PORTAL_ROLE',
        'ERR_PORTAL_ROLE',
      ]);
    });

    it('refuses a unit login before registration and with a person certificate', async () => {
      const notRegistered = await post(portal.app, '/api/sessions', {
        role: 'unit',
        proof: await certificateProof(portal.app, pki.leaves.agency),
      });
      expect(errorOf(notRegistered).code).toBe('ERR_PORTAL_UNIT_NOT_REGISTERED');
      const person = await post(portal.app, '/api/sessions', {
        role: 'unit',
        proof: await certificateProof(portal.app, pki.leaves.citizenSign),
      });
      expect(errorOf(person).code).toBe('ERR_PORTAL_CERT_NOT_UNIT');
      expect((await auditRows(portal.db, 'login-unit')).map((r) => r.error_code)).toEqual([
        null,
        'ERR_PORTAL_UNIT_NOT_REGISTERED',
        'ERR_PORTAL_CERT_NOT_UNIT',
      ]);
    });
  });
});
