/**
 * A unit's billing cycle changed as dated history (migration 0009, portal/src/billing/billingCycles.ts)
 * on SQLite and PostgreSQL: the dispatch mails a unit turned bi-monthly in odd months only and bills
 * every month once across the change; the download area and the Slips page's view follow the cycle
 * in force; the operator CLI refuses bad input with its ERR_ code.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setBillingCycle } from '../../../portal/src/billing/billingCycles.ts';
import { runSlipDispatch, type SlipDispatchDeps } from '../../../portal/src/jobs/slipDispatch.ts';
import { createSmtpMailer } from '../../../portal/src/mail/smtpMailer.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { startSmtp, type SmtpLab } from '../../../lab/smtp.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { createPortal, startBackends, type Portal } from '../portal/harness.ts';
import { runPortalCli } from './portalCli.ts';
import { addUnits, subscribe } from './roster.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const backends = await startBackends();
let smtp: SmtpLab;
let pki: TestPki;

beforeAll(async () => {
  // Issued on the frozen day the units register, so its certificates and CRLs are valid then.
  pki = await createTestPki({ issuedAt: Date.parse('2026-12-21T09:00:00+08:00') });
  smtp = await startSmtp();
}, 120_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
});

const slipMails = () => smtp.mails.filter((m) => m.headers['x-cardbridge-event'] === 'slip-issued');

describeEachBackend(backends, 'billing cycle history on $name', (backend) => {
  let portal: Portal;
  let deps: SlipDispatchDeps;
  beforeEach(async () => {
    smtp.mails.length = 0;
    portal = await createPortal(backend, { pki, smtpUrl: smtp.url });
    portal.clock.now = Date.parse('2026-12-21T09:00:00+08:00');
    deps = {
      db: portal.db,
      dbKind: backend.kind,
      mailer: createSmtpMailer(smtp.url, portal.config.mailFrom),
      clock: () => new Date(portal.clock.now),
      warn: () => undefined,
    };
  });
  afterEach(async () => {
    await deps.mailer.close();
    await portal.close();
  });

  it('skips even months once a unit is bi-monthly, and bills every month once across the change', async () => {
    const [unit] = await addUnits(portal.db, 1);
    await subscribe(portal.db, unit!.id, 'turned@slips.example.test');
    await setBillingCycle(
      portal.db,
      { unitCode: unit!.unit_code, cycle: 'bimonthly', fromMonth: '2027-03', setBy: 'test' },
      new Date(portal.clock.now),
    );
    const periods: string[] = [];
    for (const month of ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']) {
      portal.clock.now = Date.parse(`${month}-20T09:00:00+08:00`);
      const before = slipMails().length;
      await runSlipDispatch(deps, { date: `${month}-20` });
      const row = await portal.db
        .selectFrom('slip_dispatches')
        .select(['period_id', 'state'])
        .where('issue_month', '=', month)
        .executeTakeFirst();
      if (row) {
        expect(row.state).toBe('sent');
        periods.push(row.period_id);
      }
      expect(slipMails().length - before).toBe(row ? 1 : 0);
    }
    // Monthly slips bill December to February; from March on, odd months bill two months each.
    expect(periods).toEqual(['2026-12', '2027-01', '2027-02', '2027-03+04']);
  });

  it('is refused for a month already billed or an unknown unit', async () => {
    const [unit] = await addUnits(portal.db, 1);
    const refusal = (change: { unitCode: string; cycle: string; fromMonth: string }) =>
      setBillingCycle(portal.db, { ...change, setBy: 'test' }, new Date(portal.clock.now)).then(
        () => undefined,
        (error: unknown) => (error instanceof PortalError ? error.code : String(error)),
      );
    // 2026-12-21: the December slip (billing November) is out.
    expect(await refusal({ unitCode: unit!.unit_code, cycle: 'bimonthly', fromMonth: '2026-11' })).toBe(
      'ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED',
    );
    expect(await refusal({ unitCode: '999999999', cycle: 'bimonthly', fromMonth: '2027-01' })).toBe(
      'ERR_PORTAL_UNIT_UNKNOWN',
    );
    expect(await refusal({ unitCode: unit!.unit_code, cycle: 'bimonthly', fromMonth: '2027-01' })).toBe(
      undefined,
    );
    const rows = await portal.db.selectFrom('unit_billing_cycles').selectAll().execute();
    expect(rows).toMatchObject([{ unit_id: unit!.id, from_month: '2027-01', cycle: 'bimonthly' }]);
  });
});

/** The operator CLI against a throw-away SQLite database. */
async function billingCycleCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = runPortalCli('billingCycle.ts', args, { DATABASE_URL: ':memory:' });
  return { code: await run.exited, output: run.output() };
}

describe('npm run portal:billing-cycle', () => {
  it('refuses bad input with its ERR_ code and the clerk texts', async () => {
    const cycle = await billingCycleCli(['900000001', 'weekly', '2099-01']);
    expect(cycle.code).toBe(1);
    expect(cycle.output).toMatch(/^ERR_PORTAL_BILLING_CYCLE_INVALID: 繳費週期.*The billing cycle/m);
    const even = await billingCycleCli(['900000001', 'bimonthly', '2099-02']);
    expect(even.code).toBe(1);
    expect(even.output).toMatch(/^ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID/m);
    const unknown = await billingCycleCli(['900000001', 'bimonthly', '2099-01']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/^ERR_PORTAL_UNIT_UNKNOWN/m);
    const usage = await billingCycleCli(['900000001']);
    expect(usage.code).toBe(64);
    expect(usage.output).toMatch(/usage: npm run portal:billing-cycle/);
  }, 60_000);
});
