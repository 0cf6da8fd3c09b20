/**
 * 電子繳款單申請及查詢 and 下載區 through the portal's API on SQLite and PostgreSQL, with the
 * confirmation mail received by a real SMTP server: the link's page, its single use and expiry, a
 * change, the cancellation, what will be sent and when; the download window (January of last year
 * to the latest 20th), the slip and statements of a period, nothing to bill.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../../lab/smtp.ts';
import {
  auditRows,
  createPortal,
  del,
  errorOf,
  get,
  loginUnit,
  post,
  registerWith,
  startBackends,
  type Portal,
} from '../portal/harness.ts';
import { addInsured, pdfText } from './roster.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;
let smtp: SmtpLab;

beforeAll(async () => {
  // Issued on the frozen days below, so the certificates and CRLs are valid then whatever today is.
  pki = await createTestPki({ issuedAt: Date.parse('2026-12-02T10:00:00+08:00') });
  smtp = await startSmtp();
}, 120_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
});

/** The mail's text, whatever transfer encoding nodemailer chose. */
function bodyText(mail: ReceivedMail): string {
  const encoding = (mail.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(mail.body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return Buffer.from(
      mail.body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return mail.body;
}

/** The confirmation link of the latest confirmation mail to `to`. */
async function confirmLinkFor(to: string): Promise<URL> {
  const mail = await smtp.waitFor(
    (m) => m.to.includes(to) && m.headers['x-cardbridge-event'] === 'slip-address-confirm',
    15_000,
  );
  const link = /https?:\/\/\S+\/slips\/confirm\?token=[A-Za-z0-9_-]+/.exec(bodyText(mail))?.[0];
  if (!link) throw new Error('no link in the confirmation mail');
  return new URL(link);
}

describeEachBackend(backends, 'slip subscription and download area on $name', (backend) => {
  let portal: Portal;
  let token: string;
  beforeEach(async () => {
    smtp.mails.length = 0;
    portal = await createPortal(backend, { pki, smtpUrl: smtp.url });
    portal.clock.now = Date.parse('2026-12-02T10:00:00+08:00');
    await registerWith(portal.app, pki.leaves.company);
    token = await loginUnit(portal.app, pki.leaves.company);
  });
  afterEach(async () => {
    await portal.close();
  });

  const confirm = (linkToken: string) =>
    portal.app.inject({
      method: 'POST',
      url: '/slips/confirm',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${linkToken}`,
    });

  it('confirms an address once from the mailed link, then shows what is sent when', async () => {
    const before = await get(portal.app, '/api/units/current/slip-subscription', token);
    expect(before.json()).toMatchObject({
      active: false,
      cycle: 'monthly',
      next: { id: '2026-11', issueDate: '2026-12-20', dueDate: '2026-12-31' },
    });

    const asked = await post(
      portal.app,
      '/api/units/current/slip-subscription',
      { email: 'pay@company.example.test' },
      token,
    );
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({ active: false, pendingEmail: 'pay@company.example.test' });

    const link = await confirmLinkFor('pay@company.example.test');
    const linkToken = link.searchParams.get('token')!;
    // The link's page only shows a button (a mail scanner's visit uses nothing up).
    const page = await get(portal.app, `${link.pathname}${link.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.body).toContain('<form method="post" action="/slips/confirm">');

    const done = await confirm(linkToken);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('pay@company.example.test');
    const again = await confirm(linkToken);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('已經使用過');

    const after = await get(portal.app, '/api/units/current/slip-subscription', token);
    expect(after.json()).toMatchObject({
      active: true,
      email: 'pay@company.example.test',
      next: { issueDate: '2026-12-20' },
    });
    expect((await auditRows(portal.db, 'slip-confirm')).map((a) => a.outcome)).toEqual([
      'success',
      'refused',
    ]);
  });

  it('keeps the confirmed address through a change until the new one is confirmed; a link expires', async () => {
    await post(
      portal.app,
      '/api/units/current/slip-subscription',
      { email: 'old@company.example.test' },
      token,
    );
    await confirm((await confirmLinkFor('old@company.example.test')).searchParams.get('token')!);

    await post(
      portal.app,
      '/api/units/current/slip-subscription',
      { email: 'new@company.example.test' },
      token,
    );
    const changing = await get(portal.app, '/api/units/current/slip-subscription', token);
    expect(changing.json()).toMatchObject({
      active: true,
      email: 'old@company.example.test',
      pendingEmail: 'new@company.example.test',
    });

    const late = (await confirmLinkFor('new@company.example.test')).searchParams.get('token')!;
    portal.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const expired = await confirm(late);
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('已經過期');
    token = await loginUnit(portal.app, pki.leaves.company); // the day also ended the session
    const still = await get(portal.app, '/api/units/current/slip-subscription', token);
    expect(still.json()).toMatchObject({ active: true, email: 'old@company.example.test' });
    expect(still.json()).not.toHaveProperty('pendingEmail');
  });

  it('cancels the mailing, and refuses to cancel what is not there', async () => {
    await post(
      portal.app,
      '/api/units/current/slip-subscription',
      { email: 'pay@company.example.test' },
      token,
    );
    await confirm((await confirmLinkFor('pay@company.example.test')).searchParams.get('token')!);
    const cancelled = await del(portal.app, '/api/units/current/slip-subscription', token);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ active: false });
    expect(cancelled.json()).not.toHaveProperty('email');
    const twice = await del(portal.app, '/api/units/current/slip-subscription', token);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('ERR_PORTAL_SLIP_NOT_SUBSCRIBED');
  });

  it('refuses an address that is not one, naming the field', async () => {
    const bad = await post(
      portal.app,
      '/api/units/current/slip-subscription',
      { email: 'not an address' },
      token,
    );
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toContain('email');
  });

  it('lists the periods back to January of last year and serves each document', async () => {
    const unit = await portal.db
      .selectFrom('units')
      .selectAll()
      .where('unit_code', '=', '012345678')
      .executeTakeFirstOrThrow();
    await addInsured(portal.db, unit.id, {
      idNumber: 'A100000001',
      name: '陳小明',
      amount: 45_800,
      from: '2025-03-01',
    });

    const list = await get(portal.app, '/api/units/current/slips', token);
    const body = list.json<{ periods: { id: string; issueMonth: string }[]; retainedFrom: string }>();
    expect(body.retainedFrom).toBe('2025-01');
    // On 2026-12-02 the latest slip is November's (for October); the oldest kept was issued 2025-01.
    expect(body.periods[0]).toMatchObject({ id: '2026-10', issueMonth: '2026-11' });
    expect(body.periods[body.periods.length - 1]).toMatchObject({ id: '2024-12', issueMonth: '2025-01' });
    expect(body.periods).toHaveLength(23);

    const slip = await get(portal.app, '/api/units/current/slips/2026-10/slip', token);
    expect(slip.statusCode).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(slip.headers['content-disposition']).toContain('slip-012345678-2026-10.pdf');
    const text = pdfText(slip.rawPayload);
    expect(text).toContain(unit.name);

    const detail = await get(portal.app, '/api/units/current/slips/2026-10/statements/detail/pdf', token);
    expect(pdfText(detail.rawPayload)).toContain('陳小明');
    const csv = await get(portal.app, '/api/units/current/slips/2026-10/statements/summary/csv', token);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.rawPayload.toString('utf8')).toContain('陳小明');

    // Before anyone was insured: nothing to bill.
    const empty = await get(portal.app, '/api/units/current/slips/2025-01/slip', token);
    expect(empty.statusCode).toBe(404);
    expect(errorOf(empty)).toMatchObject({ code: 'ERR_PORTAL_SLIP_NOTHING_TO_BILL', field: 'period' });
  });

  it('refuses a period outside the window or not of the unit’s cycle', async () => {
    for (const period of ['2024-11', '2026-11']) {
      const refused = await get(portal.app, `/api/units/current/slips/${period}/slip`, token);
      expect(refused.statusCode, period).toBe(404);
      expect(errorOf(refused), period).toMatchObject({
        code: 'ERR_PORTAL_SLIP_PERIOD_OUTSIDE_WINDOW',
        field: 'period',
      });
    }
    const bimonthly = await get(
      portal.app,
      `/api/units/current/slips/${encodeURIComponent('2026-09+10')}/slip`,
      token,
    );
    expect(errorOf(bimonthly)).toMatchObject({ code: 'ERR_PORTAL_SLIP_PERIOD_INVALID', field: 'period' });
    const malformed = await get(portal.app, '/api/units/current/slips/last-month/slip', token);
    expect(malformed.statusCode).toBe(400);
  });
});
