/**
 * Filings through the portal API on SQLite and PostgreSQL (issue 10): a clerk's signed submission is
 * received (receipt 受理編號), processed by the job (roster periods changed in the same transaction,
 * one outcome mail), and its stored signature exported and accepted by `openssl cms -verify`. Every
 * refusal — bytes that do not fit the signature, another unit's code, a revoked certificate or clerk,
 * a stale signature, a field error, a unit session, a replay — stores nothing and is audited. The
 * processor rejects a roster conflict filing by filing, flags late filings and, run twice at once,
 * processes each submission once.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signDetachedCms } from '../../../lab/pki/signCms.ts';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../../lab/pki/testPki.ts';
import { processPendingSubmissions } from '../../../portal/src/jobs/filingProcessor.ts';
import type { Mailer } from '../../../portal/src/mail/mailer.ts';
import type { PortalContext } from '../../../portal/src/services/context.ts';
import { fingerprintOf } from '../../../portal/src/services/proofs.ts';
import { RECEIPT_PATTERN } from '../../../portal/src/services/receipts.ts';
import { addDays, addMonths, monthOf } from '../../../shared/fields/calendar.ts';
import { canonicalBytes, filingChallengeNonce, submissionHash } from '../../../shared/filings/canonical.ts';
import type { Filing, Submission } from '../../../shared/filings/contracts.ts';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import { cardResponse, deriveCardKey } from '../../../shared/node/nhi/samEmulation.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { opensslCmsVerify, tempFile } from '../helpers/openssl.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  del,
  errorOf,
  get,
  loginUnit,
  nhiProof,
  ORIGIN,
  post,
  registerWith,
  SAM_MASTER_KEY,
  setPassword,
  startBackends,
  type Portal,
} from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;
let chainFile: string;

beforeAll(async () => {
  pki = await createTestPki();
  chainFile = tempFile(
    'chain.pem',
    [pki.root, pki.cas.MOICA].map((c) => new X509Certificate(c.certificate).toString()).join(''),
  );
}, 120_000);
afterAll(async () => {
  await backends.postgres?.stop();
});

const COMPANY_CODE = '012345678';
const AGENCY_CODE = '023456789';
const CLERK_CARD = { cardNumber: '000012345681', idNumber: 'E122334457', name: '張志明 TEST' };
const PERSON = { idNumber: 'A123456789', name: '王小明', birthDate: '1990-05-17' };
const PERSON_2 = { idNumber: 'F131104093', name: '林小華', birthDate: '1985-01-02' };
const SUBMISSIONS_URL = '/api/filings/submissions';

interface Receipt {
  receiptNo: string;
  submissionId: string;
  filingCount: number;
  contentSha256: string;
  warnings: { seq: number; field: string; code: string; severity: string }[];
}
interface SubmissionBody {
  state: string;
  acceptedCount: number;
  rejectedCount: number;
  signer: { kind: string; label: string };
  filings: { seq: number; state: string; late: boolean; idNumber: string; issues: { code: string }[] }[];
}

describeEachBackend(backends, 'filings on $name', (backend) => {
  let portal: Portal;
  let unitToken: string;
  let clerkToken: string;

  const now = () => new Date(portal.clock.now);
  const today = () => taipeiDate(now());
  const enrol = (person = PERSON, over: Partial<Filing> = {}): Filing =>
    ({
      kind: 'enrol',
      scheme: 'nhi',
      ...person,
      enrolmentDate: today(),
      insuredAmount: 29500,
      ...over,
    }) as Filing;
  const submissionOf = (filings: Filing[], unitCode = COMPANY_CODE): Submission => ({
    format: 'cardbridge-filing-submission',
    version: 1,
    unitCode,
    submittedAt: now().toISOString(),
    filings,
  });
  const cmsOf = (
    submission: Submission,
    leaf: IssuedCertificate = pki.leaves.citizenSign,
    signingTime = now(),
  ) => ({
    format: 'cms' as const,
    cms: signDetachedCms(leaf, canonicalBytes(submission), { signingTime }).toString('base64'),
  });
  const submit = (submission: Submission, signature: unknown, token = clerkToken) =>
    post(portal.app, SUBMISSIONS_URL, { submission, signature }, token);
  const submitSigned = async (filings: Filing[]): Promise<Receipt> => {
    const submission = submissionOf(filings);
    const response = await submit(submission, cmsOf(submission));
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Receipt>();
  };
  const view = async (id: string) =>
    (await get(portal.app, `${SUBMISSIONS_URL}/${id}`, clerkToken)).json<SubmissionBody>();
  const processingContext = (): PortalContext => ({
    config: portal.config,
    db: portal.db,
    dbKind: backend.kind,
    clock: now,
    trust: undefined,
    mailer: undefined as unknown as Mailer,
    deliverMail: () => Promise.resolve(),
    warn: () => undefined,
  });
  const process = () => processPendingSubmissions(processingContext());
  const stored = async () => ({
    submissions: (await portal.db.selectFrom('submissions').select('id').execute()).length,
    filings: (await portal.db.selectFrom('filings').select('id').execute()).length,
  });
  const openPeriods = (idNumber: string) =>
    portal.db
      .selectFrom('insured_periods')
      .selectAll()
      .where('id_number', '=', idNumber)
      .orderBy('from_date')
      .execute();

  const clerkLogin = async () => {
    const login = await post(portal.app, '/api/sessions', {
      role: 'clerk',
      proof: await certificateProof(portal.app, pki.leaves.citizenSign),
    });
    expect(login.statusCode, login.body).toBe(200);
    return login.json<{ sessionToken: string }>().sessionToken;
  };

  beforeEach(async () => {
    portal = await createPortal(backend, { pki });
    await registerWith(portal.app, pki.leaves.company);
    unitToken = await loginUnit(portal.app, pki.leaves.company);
    const added = await post(
      portal.app,
      '/api/units/current/clerks',
      { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
      unitToken,
    );
    expect(added.statusCode, added.body).toBe(200);
    clerkToken = await clerkLogin();
  }, 60_000);
  afterEach(async () => {
    await portal.close();
  });

  it('receives a signed 加保, processes it and the roster has the person; the .p7s verifies with openssl', async () => {
    const submission = submissionOf([enrol()]);
    const response = await submit(submission, cmsOf(submission));
    expect(response.statusCode, response.body).toBe(200);
    const receipt = response.json<Receipt>();
    expect(receipt.receiptNo).toMatch(RECEIPT_PATTERN);
    expect(receipt).toMatchObject({ filingCount: 1, warnings: [] });
    expect((await auditRows(portal.db, 'filing-submit'))[0]).toMatchObject({
      outcome: 'success',
      unit_code: COMPANY_CODE,
    });
    expect(await view(receipt.submissionId)).toMatchObject({
      state: 'received',
      signer: { kind: 'certificate' },
      filings: [{ seq: 1, state: 'received', idNumber: 'A1*****789' }],
    });
    expect(await openPeriods(PERSON.idNumber)).toHaveLength(0);

    expect(await process()).toBe(1);
    expect(await view(receipt.submissionId)).toMatchObject({
      state: 'processed',
      acceptedCount: 1,
      rejectedCount: 0,
      filings: [{ seq: 1, state: 'accepted', late: false }],
    });
    expect(await openPeriods(PERSON.idNumber)).toMatchObject([
      { name: PERSON.name, insured_amount: 29500, from_date: today(), to_date: null },
    ]);
    const mails = await portal.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('event', '=', 'filing-processed')
      .execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: 'hr@company.example.test' });
    expect(mails[0]!.body).toContain(receipt.receiptNo);
    // Taipei time, the clerk's way, in both languages (mail/templates.ts).
    expect(mails[0]!.body).toMatch(/\d{3}\/\d{2}\/\d{2} \d{2}:\d{2}（臺北時間）/);
    expect(mails[0]!.body).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} \(Taipei time\)/);
    expect(await process()).toBe(0);

    const file = await get(portal.app, `${SUBMISSIONS_URL}/${receipt.submissionId}/signature`, clerkToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/pkcs7-signature/);
    expect(file.headers['content-disposition']).toContain(`${receipt.receiptNo}.p7s`);
    const verified = opensslCmsVerify(file.rawPayload, canonicalBytes(submission), chainFile);
    expect(verified.status, verified.output).toBe(0);
    // The same bytes with one change do not verify.
    const changed = canonicalBytes({ ...submission, unitCode: AGENCY_CODE });
    expect(opensslCmsVerify(file.rawPayload, changed, chainFile).status).not.toBe(0);
  });

  it('receives a submission signed by an NHI-card clerk (the card answers the filing challenge)', async () => {
    await post(portal.app, '/api/units/current/clerks', { kind: 'nhi-card', ...CLERK_CARD }, unitToken);
    await setPassword(portal.app, CLERK_CARD.cardNumber);
    const login = await post(portal.app, '/api/sessions', {
      role: 'clerk',
      proof: await nhiProof(portal.app, CLERK_CARD.cardNumber),
    });
    const token = login.json<{ sessionToken: string }>().sessionToken;
    const submission = submissionOf([enrol()]);
    const answer = async (origin: string) => ({
      format: 'nhi-card' as const,
      cardNumber: CLERK_CARD.cardNumber,
      response: cardResponse(
        deriveCardKey(SAM_MASTER_KEY, CLERK_CARD.cardNumber),
        await nhiChallenge(origin, filingChallengeNonce(await submissionHash(submission))),
      ).toString('base64'),
    });
    const foreign = await submit(submission, await answer('https://evil.example'), token);
    expect(errorOf(foreign)).toMatchObject({
      code: 'ERR_PORTAL_SIGNATURE_MISMATCH',
      field: 'signature.response',
    });
    const cms = await submit(submission, cmsOf(submission), token);
    expect(errorOf(cms)).toMatchObject({ code: 'ERR_PORTAL_SIGNER_NOT_CLERK', field: 'signature.format' });

    const response = await submit(submission, await answer(ORIGIN), token);
    expect(response.statusCode, response.body).toBe(200);
    const receipt = response.json<Receipt>();
    const file = await get(portal.app, `${SUBMISSIONS_URL}/${receipt.submissionId}/signature`, token);
    expect(file.headers['content-type']).toMatch(/^application\/json/);
    expect(file.json()).toMatchObject({
      format: 'cardbridge-nhi-filing-evidence',
      cardNumber: CLERK_CARD.cardNumber,
      origin: ORIGIN,
      contentSha256: receipt.contentSha256,
    });
    expect(await process()).toBe(1);
    expect(await openPeriods(PERSON.idNumber)).toHaveLength(1);
  });

  describe('refusals store nothing and are audited', () => {
    const refused = async (
      response: Awaited<ReturnType<typeof submit>>,
      code: string,
      field?: string,
    ): Promise<void> => {
      expect(errorOf(response), response.body).toMatchObject({ code, ...(field ? { field } : {}) });
      expect(await stored()).toEqual({ submissions: 0, filings: 0 });
      const audits = [
        ...(await auditRows(portal.db, 'filing-submit')),
        ...(await auditRows(portal.db, 'session-check')),
      ];
      expect(audits.some((a) => a.outcome === 'refused' && a.error_code === code)).toBe(true);
    };

    it('bytes that do not fit the signature', async () => {
      const signedFor = submissionOf([enrol()]);
      const sent = submissionOf([enrol(PERSON, { insuredAmount: 30300 })]);
      await refused(await submit(sent, cmsOf(signedFor)), 'ERR_PORTAL_SIGNATURE_MISMATCH', 'signature');
    });

    it("another unit's unit code", async () => {
      const submission = submissionOf([enrol()], AGENCY_CODE);
      await refused(
        await submit(submission, cmsOf(submission)),
        'ERR_PORTAL_SUBMISSION_OTHER_UNIT',
        'submission.unitCode',
      );
    });

    it("a certificate revoked after the clerk's login", async () => {
      // The CA revoked the clerk's certificate while the session is still open.
      await portal.db
        .updateTable('clerks')
        .set({ credential_key: fingerprintOf(pki.leaves.citizenRevoked.certificate) })
        .execute();
      const submission = submissionOf([enrol()]);
      await refused(
        await submit(submission, cmsOf(submission, pki.leaves.citizenRevoked)),
        'ERR_PORTAL_CERT_REVOKED',
      );
    });

    it("another clerk's certificate, and a clerk withdrawn by the unit", async () => {
      const submission = submissionOf([enrol()]);
      await refused(
        await submit(submission, cmsOf(submission, pki.leaves.citizenEc)),
        'ERR_PORTAL_SIGNER_NOT_CLERK',
        'signature',
      );
      const clerk = await portal.db.selectFrom('clerks').select('id').executeTakeFirstOrThrow();
      await del(portal.app, `/api/units/current/clerks/${clerk.id}`, unitToken);
      await refused(await submit(submission, cmsOf(submission)), 'ERR_PORTAL_SESSION_EXPIRED');
    });

    it('a signature older than the window', async () => {
      const submission = submissionOf([enrol()]);
      const old = new Date(portal.clock.now - 11 * 60_000);
      await refused(
        await submit(submission, cmsOf(submission, pki.leaves.citizenSign, old)),
        'ERR_PORTAL_SIGNATURE_STALE',
        'signature.cms',
      );
    });

    it('a field error, naming the field', async () => {
      const submission = submissionOf([enrol(), enrol(PERSON_2, { idNumber: 'F131104094' })]);
      await refused(
        await submit(submission, cmsOf(submission)),
        'ERR_PORTAL_FILING_INVALID',
        'submission.filings.1.idNumber',
      );
    });

    it('a unit session', async () => {
      const submission = submissionOf([enrol()]);
      await refused(await submit(submission, cmsOf(submission), unitToken), 'ERR_PORTAL_ROLE');
    });

    it('the same signed submission twice', async () => {
      const submission = submissionOf([enrol()]);
      const signature = cmsOf(submission);
      expect((await submit(submission, signature)).statusCode).toBe(200);
      const again = await submit(submission, signature);
      expect(errorOf(again).code).toBe('ERR_PORTAL_SUBMISSION_REPLAYED');
      expect(await stored()).toEqual({ submissions: 1, filings: 1 });
    });
  });

  describe('processing', () => {
    it('accepts a late filing flagged with the reason', async () => {
      const receipt = await submitSigned([enrol(PERSON, { enrolmentDate: addDays(today(), -10) })]);
      expect(receipt.warnings).toEqual([
        { seq: 1, field: 'enrolmentDate', code: 'ERR_CHECK_LATE_FILING', severity: 'warning' },
      ]);
      await process();
      const result = await view(receipt.submissionId);
      expect(result).toMatchObject({ acceptedCount: 1, filings: [{ state: 'accepted', late: true }] });
      expect(result.filings[0]!.issues.map((i) => i.code)).toEqual(['ERR_CHECK_LATE_FILING']);
    });

    it('counts deadlines to the day of receipt, not of processing', async () => {
      const receipt = await submitSigned([enrol()]);
      portal.clock.advance(10 * 24 * 60 * 60_000);
      await process();
      // (The clerk's session has expired by then: read the row.)
      const filing = await portal.db
        .selectFrom('filings')
        .select(['state', 'late'])
        .where('submission_id', '=', receipt.submissionId)
        .executeTakeFirstOrThrow();
      expect(filing).toEqual({ state: 'accepted', late: 0 });
    });

    it('rejects only the filing that conflicts with the roster at processing time', async () => {
      const first = await submitSigned([enrol()]);
      const second = await submitSigned([enrol(PERSON, { insuredAmount: 30300 }), enrol(PERSON_2)]);
      expect(await process()).toBe(2);
      expect(await view(first.submissionId)).toMatchObject({ acceptedCount: 1 });
      const result = await view(second.submissionId);
      expect(result).toMatchObject({
        acceptedCount: 1,
        rejectedCount: 1,
        filings: [{ state: 'rejected' }, { state: 'accepted' }],
      });
      expect(result.filings[0]!.issues.map((i) => i.code)).toContain('ERR_CHECK_ALREADY_INSURED');
      expect(await openPeriods(PERSON.idNumber)).toMatchObject([{ insured_amount: 29500, to_date: null }]);
      expect(await openPeriods(PERSON_2.idNumber)).toHaveLength(1);
    });

    it('changes the amount from the next month and withdraws, keeping the history', async () => {
      await submitSigned([enrol(), enrol(PERSON_2)]);
      const next = addMonths(monthOf(today()), 1);
      await submitSigned([
        { kind: 'amount-change', idNumber: PERSON.idNumber, insuredAmount: 30300, effectiveMonth: next },
        { kind: 'withdraw', idNumber: PERSON_2.idNumber, date: today(), reason: 'W01' },
      ]);
      expect(await process()).toBe(2);
      expect(await openPeriods(PERSON.idNumber)).toMatchObject([
        {
          insured_amount: 29500,
          from_date: today(),
          to_date: addDays(`${next}-01`, -1),
          end_reason: 'amount-change',
        },
        { insured_amount: 30300, from_date: `${next}-01`, to_date: null },
      ]);
      expect(await openPeriods(PERSON_2.idNumber)).toMatchObject([
        { from_date: today(), to_date: today(), end_reason: 'W01' },
      ]);
    });

    it('two processors at once process each submission once', async () => {
      const people = ['A123456789', 'F131104093', 'B223456782', 'E122334457', 'H220001110', 'B222222228'];
      for (const idNumber of people) await submitSigned([enrol({ ...PERSON, idNumber })]);
      const ctx = processingContext();
      const counts = await Promise.all([processPendingSubmissions(ctx), processPendingSubmissions(ctx)]);
      expect(counts[0] + counts[1]).toBe(people.length);
      const submissions = await portal.db
        .selectFrom('submissions')
        .select(['state', 'accepted_count'])
        .execute();
      expect(submissions.every((s) => s.state === 'processed' && s.accepted_count === 1)).toBe(true);
      const mails = await portal.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('event', '=', 'filing-processed')
        .execute();
      expect(mails).toHaveLength(people.length);
      const periods = await portal.db.selectFrom('insured_periods').select('id').execute();
      expect(periods).toHaveLength(people.length);
    });
  });
});
