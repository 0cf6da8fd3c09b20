/**
 * Issue 15, defect 3: every portal route that takes text applies the one rule of its field kind
 * (shared/fields/rules.ts), on SQLite and PostgreSQL. A refusal names the field, is audited and
 * changes nothing; an accepted value is stored normalised (trimmed, NFC, lower-case e-mail domain).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  errorOf,
  loginUnit,
  post,
  registerWith,
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

/** A clerk on record in the seed's NHI card registry (card, ID). */
const CLERK = { kind: 'nhi-card', cardNumber: '000012345681', idNumber: 'E122334457' } as const;

/** The examples, each with the code the portal answers and the field it names. */
const REFUSED_NAMES: ReadonlyArray<readonly [string, string, string]> = [
  ['   ', 'ERR_PORTAL_FIELD_REQUIRED', 'spaces only'],
  ['王\u0000小明', 'ERR_PORTAL_CONTROL_CHARACTER', 'NUL'],
  ['王小明\r\nBcc: x@evil.example', 'ERR_PORTAL_CONTROL_CHARACTER', 'CR LF header'],
  ['王小明\u202E', 'ERR_PORTAL_CONTROL_CHARACTER', 'U+202E bidi override'],
  ['\u202Egnaw', 'ERR_PORTAL_CONTROL_CHARACTER', 'U+202E leading'],
  ['王小明\u0085', 'ERR_PORTAL_CONTROL_CHARACTER', 'U+0085 next line'],
  ['王\u2028小明', 'ERR_PORTAL_CONTROL_CHARACTER', 'U+2028 line separator'],
  ['王\u200B小明', 'ERR_PORTAL_CONTROL_CHARACTER', 'zero-width space'],
  ['<script>alert(1)</script>', 'ERR_PORTAL_INVALID_NAME', 'markup'],
  ['王小明 Bcc: x@evil.example', 'ERR_PORTAL_INVALID_NAME', 'header text'],
  ['Robert"); DROP TABLE clerks;--', 'ERR_PORTAL_INVALID_NAME', 'SQL text'],
];

describeEachBackend(backends, 'field rules on the portal routes, $name', (backend) => {
  let portal: Portal | undefined;
  const open = async () => (portal = await createPortal(backend, { pki }));
  afterEach(async () => {
    await portal?.close();
    portal = undefined;
  });

  it('refuses each of the issue examples in a clerk name, names the field, audits it, stores nothing', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    const token = await loginUnit(app, pki.leaves.company);
    const auditBefore = (await auditRows(db)).length;
    for (const [name, code, why] of REFUSED_NAMES) {
      const response = await post(app, '/api/units/current/clerks', { ...CLERK, name }, token);
      expect(response.statusCode, why).toBe(400);
      expect(errorOf(response), why).toMatchObject({ code, field: 'name' });
    }
    expect(await db.selectFrom('clerks').selectAll().execute()).toEqual([]);
    expect(
      await db.selectFrom('mail_outbox').selectAll().where('event', '=', 'clerk-added').execute(),
    ).toEqual([]);
    const refusals = (await auditRows(db)).slice(auditBefore);
    expect(refusals.map((r) => [r.outcome, r.error_code])).toEqual(
      REFUSED_NAMES.map(([, code]) => ['refused', code]),
    );
    // The audit never holds a raw hidden character (escaped as \uXXXX).
    for (const row of refusals) expect(JSON.stringify(row)).not.toMatch(/\\u0000|\r|\n|\u202E|\u0085/u);
  });

  it('stores a clerk name trimmed, NFC-normalised, middle dot unified; mails carry the stored name', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    const token = await loginUnit(app, pki.leaves.company);
    // "Pi\u0301lay" is NFD (i + combining acute); the katakana middle dot becomes U+00B7.
    const response = await post(
      app,
      '/api/units/current/clerks',
      { ...CLERK, name: '  Pi\u0301lay\u30FBTanapima  ', email: 'Clerk.One@Example.TEST' },
      token,
    );
    expect(response.statusCode, response.body).toBe(200);
    const [clerk] = await db.selectFrom('clerks').selectAll().execute();
    const stored = 'Pi\u0301lay\u00B7Tanapima'.normalize('NFC');
    expect(stored).not.toContain('\u0301');
    expect(clerk).toMatchObject({ display_name: stored, email: 'Clerk.One@example.test' });
    const mails = await db.selectFrom('mail_outbox').selectAll().where('event', '=', 'clerk-added').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body).toContain(stored);
  });

  it('refuses e-mails that break the one e-mail rule, at registration and at clerk assignment', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    const token = await loginUnit(app, pki.leaves.company);
    const bad = ['hr@example', 'a b@example.test', 'a@b@example.test', 'hr@exam_ple.test', '王@example.test'];
    for (const email of [...bad, 'hr@example.test\u202E']) {
      const clerk = await post(app, '/api/units/current/clerks', { ...CLERK, name: '王小明', email }, token);
      expect(clerk.statusCode, email).toBe(400);
      expect(errorOf(clerk).field, email).toBe('email');
      const registration = await post(app, '/api/registrations', {
        proof: await certificateProof(app, pki.leaves.agency),
        email,
      });
      expect(registration.statusCode, email).toBe(400);
      expect(errorOf(registration).field, email).toBe('email');
    }
    expect(await db.selectFrom('clerks').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('registrations').selectAll().execute()).toHaveLength(1);
  });

  it('stores a registration contact e-mail normalised', async () => {
    const { app, db } = await open();
    const response = await post(app, '/api/registrations', {
      proof: await certificateProof(app, pki.leaves.agency),
      email: 'HR@Agency.Example.TEST',
    });
    expect(response.statusCode, response.body).toBe(200);
    const [registration] = await db.selectFrom('registrations').selectAll().execute();
    expect(registration!.contact_email).toBe('HR@agency.example.test');
  });

  it('refuses a unit code of spaces, with a bidi override or with a zero-width space, naming unitCode', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    for (const [unitCode, code] of [
      ['   ', 'ERR_PORTAL_FIELD_REQUIRED'],
      ['\u202E123456789', 'ERR_PORTAL_CONTROL_CHARACTER'],
      ['1234\u200B56789', 'ERR_PORTAL_CONTROL_CHARACTER'],
      ['12345678X', 'ERR_PORTAL_INVALID_UNIT_CODE'],
    ] as const) {
      const response = await post(app, '/api/sessions', {
        role: 'unit',
        unitCode,
        proof: await certificateProof(app, pki.leaves.company),
      });
      expect(response.statusCode, unitCode).toBe(400);
      expect(errorOf(response), unitCode).toMatchObject({ code, field: 'unitCode' });
    }
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });
});
