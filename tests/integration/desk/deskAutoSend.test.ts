/**
 * 自動寄發 takes effect (issue 12): an automatic-sending application on the desk subscribes the unit
 * to e-mailed slips with the account's confirmed address, from the month the 5th-of-the-month rule
 * gives, and the 20th's mailing (portal/src/jobs/slipDispatch.ts) through the SMTP lab mails that
 * month's slip and not the month before, with the statements the order asked for attached. SQLite and
 * PostgreSQL, frozen clock (Asia/Taipei).
 */
import { afterEach, expect, it } from 'vitest';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { runSlipDispatch, type SlipDispatchDeps } from '../../../portal/src/jobs/slipDispatch.ts';
import { createSmtpMailer } from '../../../portal/src/mail/smtpMailer.ts';
import type { Portal } from '../portal/harness.ts';
import { addInsured, pdfText } from '../slips/roster.ts';
import {
  CLERK,
  createDeskPortal,
  DeskClient,
  eventOf,
  logInAs,
  registerAndActivate,
  deskLab,
} from './deskClient.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const lab = await deskLab();
const { backends } = lab;

const slipMailsTo = (address: string) =>
  lab.smtp.mails.filter((m) => eventOf(m) === 'slip-issued' && m.to.includes(address));

describeEachBackend(backends, 'automatic sending from the desk on $name', (backend) => {
  let portal: Portal;
  let deps: SlipDispatchDeps;
  afterEach(async () => {
    await deps?.mailer.close();
    await portal?.close();
  });

  /** The clerk registered, logged in, and the unit with one insured person (something to bill). */
  async function clerkAt(taipeiTime: string): Promise<DeskClient> {
    lab.smtp.mails.length = 0;
    portal = await createDeskPortal(backend, {
      smtpUrl: lab.smtp.url,
      env: { PORTAL_DESK_RATE_LIMIT_MAX: '1000' },
    });
    portal.clock.now = Date.parse(taipeiTime);
    deps = {
      db: portal.db,
      dbKind: backend.kind,
      mailer: createSmtpMailer(lab.smtp.url, portal.config.mailFrom),
      clock: () => new Date(portal.clock.now),
      warn: () => undefined,
    };
    const unit = await portal.db
      .selectFrom('units')
      .select('id')
      .where('unit_code', '=', CLERK.unitCode)
      .executeTakeFirstOrThrow();
    await addInsured(portal.db, unit.id, { idNumber: 'A100000001', name: '員工 TEST' });
    const client = new DeskClient(portal.app);
    await registerAndActivate(client, lab.smtp);
    expect((await logInAs(client)).statusCode).toBe(303);
    return client;
  }

  const applyForAutoSend = (client: DeskClient) =>
    client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, { documents: ['slip'] });

  const subscriptionOfClerkUnit = () =>
    portal.db
      .selectFrom('slip_subscriptions')
      .innerJoin('units', 'units.id', 'slip_subscriptions.unit_id')
      .select(['email', 'confirmed_at', 'first_issue_month', 'cancelled_at'])
      .where('units.unit_code', '=', CLERK.unitCode)
      .executeTakeFirst();

  it('applied by the 5th (23:59 Taipei): this month’s slip is mailed to the account’s address', async () => {
    const client = await clerkAt('2026-12-05T23:59:00+08:00');
    expect(await subscriptionOfClerkUnit()).toBeUndefined();
    const sent = await applyForAutoSend(client);
    expect(sent.statusCode, sent.body).toBe(303);
    expect(await subscriptionOfClerkUnit()).toMatchObject({
      email: CLERK.email,
      first_issue_month: '2026-12',
      cancelled_at: null,
    });

    portal.clock.now = Date.parse('2026-12-20T01:00:00+08:00');
    await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(slipMailsTo(CLERK.email)).toHaveLength(1);
  });

  it('applied after the 5th (00:00 on the 6th): nothing this month, the next month’s slip is mailed', async () => {
    const client = await clerkAt('2026-12-06T00:00:00+08:00');
    expect((await applyForAutoSend(client)).statusCode).toBe(303);
    expect(await subscriptionOfClerkUnit()).toMatchObject({
      email: CLERK.email,
      first_issue_month: '2027-01',
    });

    portal.clock.now = Date.parse('2026-12-20T01:00:00+08:00');
    const december = await runSlipDispatch(deps, { date: '2026-12-20' });
    expect(december).toMatchObject({ kind: 'ran', handled: 0 });
    expect(slipMailsTo(CLERK.email)).toHaveLength(0);

    portal.clock.now = Date.parse('2027-01-20T01:00:00+08:00');
    await runSlipDispatch(deps, { date: '2027-01-20' });
    expect(slipMailsTo(CLERK.email)).toHaveLength(1);
  });

  it('keeps an earlier start when the unit already gets its slips', async () => {
    const client = await clerkAt('2026-12-04T10:00:00+08:00');
    expect((await applyForAutoSend(client)).statusCode).toBe(303);
    portal.clock.now = Date.parse('2026-12-10T10:00:00+08:00');
    expect((await logInAs(client)).statusCode).toBe(303);
    expect((await applyForAutoSend(client)).statusCode).toBe(303);
    expect(await subscriptionOfClerkUnit()).toMatchObject({ first_issue_month: '2026-12' });
  });
  /** The PDFs a received mail carries, by file name. */
  const pdfsOf = (raw: string): Map<string, Buffer> => {
    const found = new Map<string, Buffer>();
    const part = /filename="?([^"\r\n;]+\.pdf)"?[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/gi;
    for (const m of raw.matchAll(part)) found.set(m[1]!, Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'));
    return found;
  };

  it('mails the statements the order asked for beside the slip, and only the slip when it asked for none', async () => {
    const client = await clerkAt('2026-12-03T10:00:00+08:00');
    const applied = await client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, {
      documents: ['slip', 'detail', 'summary'],
    });
    expect(applied.statusCode, applied.body).toBe(303);
    portal.clock.now = Date.parse('2026-12-20T01:00:00+08:00');
    await runSlipDispatch(deps, { date: '2026-12-20' });
    const [december] = slipMailsTo(CLERK.email);
    const files = pdfsOf(december!.raw);
    expect([...files.keys()].map((name) => name.split('-')[0]).sort()).toEqual(['detail', 'slip', 'summary']);
    const detail = [...files].find(([name]) => name.startsWith('detail-'))![1];
    expect(pdfText(detail)).toContain('員工');

    // A new order with the slip only replaces the choice: January's mail carries the slip alone.
    expect((await logInAs(client)).statusCode).toBe(303);
    expect((await applyForAutoSend(client)).statusCode).toBe(303);
    lab.smtp.mails.length = 0;
    portal.clock.now = Date.parse('2027-01-20T01:00:00+08:00');
    await runSlipDispatch(deps, { date: '2027-01-20' });
    const [january] = slipMailsTo(CLERK.email);
    expect([...pdfsOf(january!.raw).keys()].map((name) => name.split('-')[0])).toEqual(['slip']);
  });
});
