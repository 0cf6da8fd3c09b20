/**
 * Portal API: nonces, unit registration with unit certificates and the responsible person's NHI card,
 * the NHI card web password, refusals (each audited) and cancellation. Every test runs on SQLite and
 * on PostgreSQL; mail goes to the file outbox.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, TEST_IDENTITIES, type TestPki } from '../../../lab/pki/testPki.ts';
import { DEMO_NHI_CARD } from '../../../lab/cards/nhiCardApplet.ts';
import { SESSION_KEEP_AFTER_EXPIRY_MS } from '../../../portal/src/services/sessions.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  del,
  errorOf,
  get,
  loginUnit,
  newNonce,
  nhiProof,
  nhiProofFor,
  NHI_PASSWORD,
  post,
  registerWith,
  setPassword,
  startBackends,
  type Portal,
} from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 120_000);
afterAll(async () => {
  await backends.postgres?.stop();
});

const COMPANY_CODE = '012345678';
const AGENCY_CODE = '023456789';
const OTHER_CODE = '034567890';
const DEMO_CARD = DEMO_NHI_CARD.cardNumber;
const OTHER_CARD = '000012345679';

describeEachBackend(backends, 'portal registration on $name', (backend) => {
  let portal: Portal;
  beforeEach(async () => {
    portal = await createPortal(backend, { pki });
  });
  afterEach(async () => {
    await portal.close();
  });

  const outbox = () =>
    readdirSync(portal.outboxDir)
      .filter((n) => n.endsWith('.json'))
      .map(
        (n) =>
          JSON.parse(readFileSync(join(portal.outboxDir, n), 'utf8')) as {
            to: string;
            event: string;
            subject: string;
            text: string;
            eml: string;
          },
      );

  describe('nonces', () => {
    it('issues 32 random bytes valid for 5 minutes', async () => {
      const response = await post(portal.app, '/api/nonces', undefined);
      expect(response.statusCode).toBe(200);
      const { nonce, expiresAt } = response.json<{ nonce: string; expiresAt: string }>();
      expect(Buffer.from(nonce, 'base64')).toHaveLength(32);
      expect(Date.parse(expiresAt) - portal.clock.now).toBe(5 * 60_000);
      expect(await newNonce(portal.app)).not.toBe(nonce);
    });

    it('is single use: a replayed registration is refused and audited as a replay', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.company);
      expect((await post(portal.app, '/api/registrations', { proof })).statusCode).toBe(200);
      const replay = await post(portal.app, '/api/registrations', { proof });
      expect(replay.statusCode).toBe(401);
      expect(errorOf(replay)).toMatchObject({ code: 'ERR_PORTAL_NONCE_INVALID', field: 'proof.nonce' });
      const rows = await auditRows(portal.db, 'registration');
      expect(rows.map((r) => [r.outcome, r.error_code])).toEqual([
        ['success', null],
        ['refused', 'ERR_PORTAL_NONCE_INVALID'],
      ]);
      expect(rows[1]!.detail).toMatch(/replay/);
      expect(rows[1]!.client_ip).toBeTruthy();
    });

    it('are deleted a day after they expire, at most once a minute', async () => {
      const stored = async () =>
        new Set((await portal.db.selectFrom('nonces').select('nonce').execute()).map((r) => r.nonce));
      const lifetime = 5 * 60_000;
      const day = 24 * 3_600_000;
      const first = await newNonce(portal.app);
      portal.clock.advance(lifetime + day + 1_000);
      const second = await newNonce(portal.app);
      expect(await stored()).toEqual(new Set([second]));
      // A purge runs 30 s before the second is a day past its expiry...
      portal.clock.advance(lifetime + day - 1_000 - 30_000);
      const third = await newNonce(portal.app);
      // ...so 40 s later, when it is, none runs yet;
      portal.clock.advance(40_000);
      const fourth = await newNonce(portal.app);
      expect(await stored()).toEqual(new Set([second, third, fourth]));
      // a minute after the last one, the next purge deletes it.
      portal.clock.advance(60_000);
      const fifth = await newNonce(portal.app);
      expect(await stored()).toEqual(new Set([third, fourth, fifth]));
      expect(first).not.toBe(second);
    });

    it('is consumed even when the proof fails', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.citizenSign);
      expect(errorOf(await post(portal.app, '/api/registrations', { proof })).code).toBe(
        'ERR_PORTAL_CERT_NOT_UNIT',
      );
      const again = await post(portal.app, '/api/registrations', {
        proof: { ...proof, token: (await certificateProof(portal.app, pki.leaves.company, {})).token },
      });
      expect(errorOf(again).code).toBe('ERR_PORTAL_NONCE_INVALID');
    });

    it('expires after 5 minutes (injected clock)', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.company);
      portal.clock.advance(5 * 60_000 + 1_000);
      const response = await post(portal.app, '/api/registrations', { proof });
      expect(errorOf(response).code).toBe('ERR_PORTAL_NONCE_INVALID');
      expect((await auditRows(portal.db, 'registration'))[0]).toMatchObject({
        outcome: 'refused',
        detail: 'nonce expired',
      });
    });

    it('refuses a nonce the portal never issued', async () => {
      const nonce = Buffer.alloc(32, 7).toString('base64');
      const response = await post(portal.app, '/api/nhi-cards/password', {
        proof: await nhiProofFor(nonce, DEMO_CARD),
      });
      expect(errorOf(response).code).toBe('ERR_PORTAL_NONCE_INVALID');
      expect((await auditRows(portal.db, 'nhi-password-set'))[0]).toMatchObject({ detail: 'nonce unknown' });
    });

    it('is consumed exactly once when the same proof arrives concurrently', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.company);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => post(portal.app, '/api/sessions', { role: 'unit', proof })),
      );
      const codes = results.map((r) => errorOf(r).code).sort();
      // The one winner finds the unit unregistered; every other use is a reused nonce.
      expect(codes.filter((c) => c === 'ERR_PORTAL_NONCE_INVALID')).toHaveLength(5);
      expect(codes.filter((c) => c === 'ERR_PORTAL_UNIT_NOT_REGISTERED')).toHaveLength(1);
    });
  });

  describe('sessions', () => {
    it('are deleted a day after they expire, and not before', async () => {
      await registerWith(portal.app, pki.leaves.company);
      const old = await loginUnit(portal.app, pki.leaves.company);
      const sessionRows = async () =>
        (await portal.db.selectFrom('sessions').select('expires_at').orderBy('created_at').execute()).length;
      // Expired, but less than a day ago: kept, and the late request is told its session expired.
      portal.clock.advance(portal.config.sessionTtlMs + SESSION_KEEP_AFTER_EXPIRY_MS - 60_000);
      await loginUnit(portal.app, pki.leaves.company);
      expect(await sessionRows()).toBe(2);
      const late = await get(portal.app, '/api/sessions/current', old);
      expect(errorOf(late).code).toBe('ERR_PORTAL_SESSION_EXPIRED');
      // Two minutes later the first one is more than a day past its expiry: the next login deletes it.
      portal.clock.advance(120_000);
      await loginUnit(portal.app, pki.leaves.company);
      expect(await sessionRows()).toBe(2);
      expect(errorOf(await get(portal.app, '/api/sessions/current', old)).code).toBe(
        'ERR_PORTAL_SESSION_EXPIRED',
      );
      const refusals = await auditRows(portal.db);
      expect(
        refusals.filter((r) => r.error_code === 'ERR_PORTAL_SESSION_EXPIRED').map((r) => r.detail),
      ).toEqual([expect.stringMatching(/session expired/), expect.stringMatching(/unknown session token/)]);
    });
  });

  describe('registration with unit certificates', () => {
    it('registers the company (MOEACA) found by its 統一編號 and mails the contact', async () => {
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.company),
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ unit: Record<string, string>; registration: Record<string, string> }>();
      expect(body.unit).toEqual({
        code: COMPANY_CODE,
        name: TEST_IDENTITIES.company.name,
        ubn: TEST_IDENTITIES.company.ubn,
      });
      expect(body.registration).toMatchObject({
        method: 'certificate',
        status: 'active',
        contactEmail: 'hr@company.example.test',
      });
      const mails = outbox();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ to: 'hr@company.example.test', event: 'registration-approved' });
      const eml = readFileSync(join(portal.outboxDir, mails[0]!.eml), 'utf8');
      expect(eml).toMatch(/^X-CardBridge-Event: registration-approved$/im);
      // The certificate as a clerk knows it, and the time in Taipei the clerk's way (not UTC ISO).
      const { text } = mails[0]!;
      expect(text).toContain(`${TEST_IDENTITIES.company.name} · 經濟部工商憑證管理中心 (MOEACA)（序號 `);
      expect(text).toMatch(/\d{3}\/\d{2}\/\d{2} \d{2}:\d{2}（臺北時間）/);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      expect(text).not.toMatch(/MOEACA [0-9a-f]+/);
      expect(await auditRows(portal.db, 'registration')).toMatchObject([
        {
          outcome: 'success',
          unit_code: COMPANY_CODE,
          subject: expect.stringMatching(/^cert:MOEACA:/) as unknown,
        },
      ]);
    });

    it('registers the agency (GCA) found by its organisation id, to the e-mail given', async () => {
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.agency, { algorithm: 'PS256' }),
        email: 'new-contact@agency.example.test',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json<{ unit: { code: string; organizationId: string } }>().unit).toMatchObject({
        code: AGENCY_CODE,
        organizationId: TEST_IDENTITIES.agency.organizationId,
      });
      expect(outbox()[0]).toMatchObject({ to: 'new-contact@agency.example.test' });
    });

    it.each([
      ['an organisation with no unit on record (XCA)', 'organisation', 'ERR_PORTAL_UNIT_UNKNOWN', 404],
      ["a person's citizen certificate", 'citizenSign', 'ERR_PORTAL_CERT_NOT_UNIT', 403],
      ['an expired certificate', 'citizenExpired', 'ERR_PORTAL_CERT_EXPIRED', 401],
      ['a not yet valid certificate', 'citizenNotYetValid', 'ERR_PORTAL_CERT_NOT_YET_VALID', 401],
      ['a revoked certificate', 'citizenRevoked', 'ERR_PORTAL_CERT_REVOKED', 401],
      ['a certificate of a foreign CA', 'citizenForeign', 'ERR_PORTAL_CERT_UNTRUSTED', 401],
      ['an encryption certificate', 'citizenEncrypt', 'ERR_PORTAL_CERT_KEY_USAGE', 401],
    ] as const)('refuses %s and audits it', async (_label, leaf, code, status) => {
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves[leaf]),
      });
      expect(response.statusCode).toBe(status);
      expect(errorOf(response).code).toBe(code);
      expect(await auditRows(portal.db, 'registration')).toMatchObject([
        { outcome: 'refused', error_code: code },
      ]);
      expect(outbox()).toHaveLength(0);
    });

    it('refuses a token signed for another origin', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.company, {
        origin: 'https://evil.example.test',
      });
      const response = await post(portal.app, '/api/registrations', { proof });
      expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_TOKEN_SIGNATURE', field: 'proof.token' });
      expect((await auditRows(portal.db, 'registration'))[0]).toMatchObject({
        error_code: 'ERR_PORTAL_TOKEN_SIGNATURE',
      });
    });

    it('refuses a token signed by another key than the certificate', async () => {
      const proof = await certificateProof(portal.app, pki.leaves.company, { keyOf: pki.leaves.agency });
      expect(errorOf(await post(portal.app, '/api/registrations', { proof })).code).toBe(
        'ERR_PORTAL_TOKEN_SIGNATURE',
      );
    });

    it('refuses a second registration of the same unit', async () => {
      await registerWith(portal.app, pki.leaves.company);
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.company),
      });
      expect(response.statusCode).toBe(409);
      expect(errorOf(response).code).toBe('ERR_PORTAL_ALREADY_REGISTERED');
      expect((await auditRows(portal.db, 'registration')).map((r) => r.error_code)).toEqual([
        null,
        'ERR_PORTAL_ALREADY_REGISTERED',
      ]);
    });

    it('refuses a unit code that is not the certificate’s unit', async () => {
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.company),
        unitCode: OTHER_CODE,
      });
      expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_UNIT_MISMATCH', field: 'unitCode' });
    });

    it('refuses certificate proofs when no trust anchors are configured', async () => {
      await portal.close();
      portal = await createPortal(backend, { pki, trust: null });
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.company),
      });
      expect(errorOf(response).code).toBe('ERR_PORTAL_CERT_UNTRUSTED');
    });
  });

  describe('NHI card web password', () => {
    it('is set once; a second time is refused', async () => {
      const first = await post(portal.app, '/api/nhi-cards/password', {
        proof: await nhiProof(portal.app, DEMO_CARD),
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ registered: true });
      const row = await portal.db
        .selectFrom('nhi_cards')
        .selectAll()
        .where('card_number', '=', DEMO_CARD)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(NHI_PASSWORD);
      const second = await post(portal.app, '/api/nhi-cards/password', {
        proof: await nhiProof(portal.app, DEMO_CARD, { password: 'Another99' }),
      });
      expect(second.statusCode).toBe(409);
      expect(errorOf(second).code).toBe('ERR_PORTAL_PASSWORD_ALREADY_SET');
    });

    it('needs a response the SAM accepts', async () => {
      const wrongKey = await nhiProof(portal.app, DEMO_CARD, { masterKey: Buffer.alloc(32, 1) });
      expect(errorOf(await post(portal.app, '/api/nhi-cards/password', { proof: wrongKey }))).toMatchObject({
        code: 'ERR_PORTAL_NHI_RESPONSE_INVALID',
        field: 'proof.response',
      });
      const otherOrigin = await nhiProof(portal.app, DEMO_CARD, { origin: 'https://evil.example.test' });
      expect(errorOf(await post(portal.app, '/api/nhi-cards/password', { proof: otherOrigin })).code).toBe(
        'ERR_PORTAL_NHI_RESPONSE_INVALID',
      );
      expect((await auditRows(portal.db, 'nhi-password-set')).map((r) => r.error_code)).toEqual([
        'ERR_PORTAL_NHI_RESPONSE_INVALID',
        'ERR_PORTAL_NHI_RESPONSE_INVALID',
      ]);
    });

    it('refuses a card that is not in the registry', async () => {
      const response = await post(portal.app, '/api/nhi-cards/password', {
        proof: await nhiProof(portal.app, '999912345678'),
      });
      expect(errorOf(response).code).toBe('ERR_PORTAL_NHI_CARD_UNKNOWN');
    });

    it.each([
      [
        'a card number of 11 digits',
        { cardNumber: '00001234567' },
        'ERR_PORTAL_INVALID_CARD_NUMBER',
        'proof.cardNumber',
      ],
      ['a password of 5 characters', { password: 'abcde' }, 'ERR_PORTAL_BAD_REQUEST', 'proof.password'],
      [
        'a password of 13 characters',
        { password: 'abcdefghijklm' },
        'ERR_PORTAL_BAD_REQUEST',
        'proof.password',
      ],
    ])('refuses %s with the field', async (_label, change, code, field) => {
      const proof = { ...(await nhiProof(portal.app, DEMO_CARD)), ...change };
      const response = await post(portal.app, '/api/nhi-cards/password', { proof });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toMatchObject({ code, field });
    });
  });

  describe("registration with the responsible person's NHI card", () => {
    it('registers the unit whose responsible person holds the card', async () => {
      await setPassword(portal.app, DEMO_CARD);
      const response = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD),
        unitCode: COMPANY_CODE,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        unit: { code: COMPANY_CODE },
        registration: { method: 'nhi-card', credential: '0000****5678' },
      });
      expect(outbox()).toMatchObject([{ event: 'registration-approved', to: 'hr@company.example.test' }]);
      expect((await auditRows(portal.db, 'registration'))[0]).toMatchObject({
        outcome: 'success',
        subject: 'nhi:0000****5678',
      });
    });

    it("refuses a card holder who is not the unit's responsible person", async () => {
      await setPassword(portal.app, OTHER_CARD);
      const response = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, OTHER_CARD),
        unitCode: COMPANY_CODE,
      });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('ERR_PORTAL_NOT_RESPONSIBLE_PERSON');
      expect(await auditRows(portal.db, 'registration')).toMatchObject([
        {
          outcome: 'refused',
          error_code: 'ERR_PORTAL_NOT_RESPONSIBLE_PERSON',
          unit_code: COMPANY_CODE,
          subject: 'nhi:0000****5679',
        },
      ]);
    });

    it('refuses a wrong password, and a card without one', async () => {
      const unset = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD),
        unitCode: COMPANY_CODE,
      });
      expect(errorOf(unset).code).toBe('ERR_PORTAL_PASSWORD_NOT_SET');
      await setPassword(portal.app, DEMO_CARD);
      const wrong = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD, { password: 'Wrong999' }),
        unitCode: COMPANY_CODE,
      });
      expect(wrong.statusCode).toBe(401);
      expect(errorOf(wrong)).toMatchObject({ code: 'ERR_PORTAL_PASSWORD_WRONG', field: 'proof.password' });
      expect((await auditRows(portal.db, 'registration')).map((r) => r.error_code)).toEqual([
        'ERR_PORTAL_PASSWORD_NOT_SET',
        'ERR_PORTAL_PASSWORD_WRONG',
      ]);
    });

    it('locks the card password for 15 minutes after five wrong ones in a row, even for the right one', async () => {
      await setPassword(portal.app, DEMO_CARD);
      // Unit logins of a unit not registered yet: past the password, they fail for that reason only.
      const attempt = async (password: string) =>
        post(portal.app, '/api/sessions', {
          role: 'unit',
          proof: await nhiProof(portal.app, DEMO_CARD, { password }),
          unitCode: COMPANY_CODE,
        });
      // A right password in between starts the count again.
      for (let i = 0; i < 4; i++)
        expect(errorOf(await attempt('Wrong999')).code).toBe('ERR_PORTAL_PASSWORD_WRONG');
      expect(errorOf(await attempt(NHI_PASSWORD)).code).toBe('ERR_PORTAL_UNIT_NOT_REGISTERED');
      for (let i = 0; i < 4; i++)
        expect(errorOf(await attempt('Wrong999')).code).toBe('ERR_PORTAL_PASSWORD_WRONG');
      const fifth = await attempt('Wrong999');
      expect(fifth.statusCode).toBe(429);
      expect(errorOf(fifth)).toMatchObject({ code: 'ERR_PORTAL_PASSWORD_LOCKED', field: 'proof.password' });
      expect(errorOf(await attempt(NHI_PASSWORD)).code).toBe('ERR_PORTAL_PASSWORD_LOCKED');
      portal.clock.advance(15 * 60_000 + 1);
      expect(errorOf(await attempt(NHI_PASSWORD)).code).toBe('ERR_PORTAL_UNIT_NOT_REGISTERED');
      const locked = (await auditRows(portal.db, 'login-unit')).filter(
        (r) => r.error_code === 'ERR_PORTAL_PASSWORD_LOCKED',
      );
      expect(locked).toHaveLength(2);
    });

    it('needs the unit code, in the configured format', async () => {
      await setPassword(portal.app, DEMO_CARD);
      const missing = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD),
      });
      expect(errorOf(missing)).toMatchObject({ code: 'ERR_PORTAL_UNIT_CODE_REQUIRED', field: 'unitCode' });
      const bad = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD),
        unitCode: '12AB',
      });
      expect(errorOf(bad)).toMatchObject({ code: 'ERR_PORTAL_INVALID_UNIT_CODE', field: 'unitCode' });
      const unknown = await post(portal.app, '/api/registrations', {
        proof: await nhiProof(portal.app, DEMO_CARD),
        unitCode: '999999999',
      });
      expect(errorOf(unknown).code).toBe('ERR_PORTAL_UNIT_UNKNOWN');
    });

    it('refuses a malformed e-mail address with the field', async () => {
      const response = await post(portal.app, '/api/registrations', {
        proof: await certificateProof(portal.app, pki.leaves.company),
        email: 'not an address',
      });
      expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_INVALID_EMAIL', field: 'email' });
    });
  });

  describe('cancellation', () => {
    it('cancels with the unit certificate: clerks revoked, sessions ended, e-mail sent', async () => {
      await registerWith(portal.app, pki.leaves.company);
      const token = await loginUnit(portal.app, pki.leaves.company);
      const other = await loginUnit(portal.app, pki.leaves.company);
      const added = await post(
        portal.app,
        '/api/units/current/clerks',
        { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
        token,
      );
      expect(added.statusCode).toBe(200);
      const response = await del(portal.app, '/api/registrations/current', token, {
        proof: await certificateProof(portal.app, pki.leaves.company),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ cancelled: true });
      // Every session of the unit has ended.
      expect(errorOf(await del(portal.app, '/api/sessions/current', other)).code).toBe(
        'ERR_PORTAL_SESSION_EXPIRED',
      );
      const live = await portal.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('ended_at', 'is', null)
        .execute();
      expect(live).toEqual([]);
      const clerks = await portal.db.selectFrom('clerks').select('status').execute();
      expect(clerks).toEqual([{ status: 'revoked' }]);
      expect(outbox().map((m) => m.event)).toEqual([
        'registration-approved',
        'clerk-added',
        'registration-cancelled',
      ]);
      expect((await auditRows(portal.db, 'registration-cancel'))[0]).toMatchObject({
        outcome: 'success',
        unit_code: COMPANY_CODE,
      });
      // The unit can register again afterwards.
      await registerWith(portal.app, pki.leaves.company);
    });

    it("refuses another unit's certificate and needs a unit session", async () => {
      await registerWith(portal.app, pki.leaves.company);
      await registerWith(portal.app, pki.leaves.agency);
      const token = await loginUnit(portal.app, pki.leaves.company);
      const response = await del(portal.app, '/api/registrations/current', token, {
        proof: await certificateProof(portal.app, pki.leaves.agency),
      });
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('ERR_PORTAL_CREDENTIAL_MISMATCH');
      expect((await auditRows(portal.db, 'registration-cancel'))[0]).toMatchObject({
        error_code: 'ERR_PORTAL_CREDENTIAL_MISMATCH',
      });
      const anonymous = await del(portal.app, '/api/registrations/current', undefined, {
        proof: await certificateProof(portal.app, pki.leaves.company),
      });
      expect(errorOf(anonymous).code).toBe('ERR_PORTAL_SESSION_MISSING');
    });

    it("cancels with the responsible person's NHI card", async () => {
      await setPassword(portal.app, DEMO_CARD);
      await registerWith(portal.app, pki.leaves.agency);
      const login = await post(portal.app, '/api/sessions', {
        role: 'unit',
        proof: await nhiProof(portal.app, DEMO_CARD),
        unitCode: AGENCY_CODE,
      });
      expect(login.statusCode).toBe(200);
      const token = login.json<{ sessionToken: string }>().sessionToken;
      const response = await del(portal.app, '/api/registrations/current', token, {
        proof: await nhiProof(portal.app, DEMO_CARD),
      });
      expect(response.statusCode).toBe(200);
      const registration = await portal.db
        .selectFrom('registrations')
        .select(['status', 'cancelled_at'])
        .executeTakeFirstOrThrow();
      expect(registration.status).toBe('cancelled');
      expect(registration.cancelled_at).not.toBeNull();
    });
  });
});
