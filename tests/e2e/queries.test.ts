/**
 * The query pages in Chromium against the reference portal as its own process (SQLite): a clerk,
 * logged in through the portal's API with the test PKI's citizen certificate (the login page's card
 * steps are covered by portal.test.ts), opens 投保名冊 from the home page, sees masked IDs, reveals one,
 * searches a past day, opens 申報紀錄 with a filter and exports both lists; the CSV files Chromium saves
 * start with the BOM and carry what the page showed. The roster rows are written into the portal's
 * database as the processing job leaves them (tests/integration/portal/filingsSeed.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../portal/src/db/dialect.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import { createTestPki, type IssuedCertificate } from '../../lab/pki/testPki.ts';
import { startPortalServer, type PortalServer } from '../../lab/portalProcess.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { clickWhenSettled } from './helpers/settled.ts';
import {
  personId,
  seedDependant,
  seedInsured,
  seedSubmission,
  unitIdOf,
} from '../integration/portal/filingsSeed.ts';

const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}`;
const PORTAL_PAGE = `${EXTENSION_ORIGIN}/extension/pages/portal/index.html`;
const SESSION_KEY = 'portalSession';
const COMPANY_CODE = '012345678';

const WANG = { id: personId(11), name: '王大明' };
const LEE = { id: personId(12), name: '李小華' };
const CHILD = { id: personId(13, 'B'), name: '王小寶' };

let portal: PortalServer;
let workDir: string;
let downloads: string;
let session: ChromiumSession;
let page: Page;
let databaseFile: string;

async function proof(leaf: IssuedCertificate) {
  const nonce = (await portal.api<{ nonce: string }>('POST', '/api/nonces')).body.nonce;
  return { kind: 'certificate', nonce, token: await signAuthToken(leaf, { origin: portal.origin, nonce }) };
}

async function ok<T>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`portal ${status}: ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-queries-e2e-'));
  downloads = path.join(workDir, 'downloads');
  mkdirSync(downloads);
  const pki = await createTestPki();
  writeTrustDir(pki, path.join(workDir, 'trust'));
  databaseFile = path.join(workDir, 'portal.sqlite');
  portal = await startPortalServer({
    DATABASE_URL: databaseFile,
    PORTAL_TRUST_DIR: path.join(workDir, 'trust'),
    PORTAL_OUTBOX_DIR: path.join(workDir, 'outbox'),
    PORTAL_CORS_ORIGINS: EXTENSION_ORIGIN,
    PORTAL_RATE_LIMIT_MAX: '10000',
    PORTAL_LOG_LEVEL: 'warn',
  });

  // The unit registers, assigns its clerk and the clerk logs in: through the API.
  await ok(portal.api('POST', '/api/registrations', { body: { proof: await proof(pki.leaves.company) } }));
  const unit = await ok(
    portal.api<{ sessionToken: string }>('POST', '/api/sessions', {
      body: { role: 'unit', proof: await proof(pki.leaves.company) },
    }),
  );
  const { clerk } = await ok(
    portal.api<{ clerk: { id: string } }>('POST', '/api/units/current/clerks', {
      token: unit.sessionToken,
      body: { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
    }),
  );
  const login = await ok(
    portal.api<{ sessionToken: string; expiresAt: string; role: string; unit: unknown; subject: unknown }>(
      'POST',
      '/api/sessions',
      { body: { role: 'clerk', proof: await proof(pki.leaves.citizenSign) } },
    ),
  );

  // The roster and a submission, as processing leaves them.
  const database = openDatabase({ kind: 'sqlite', file: databaseFile });
  try {
    const db = database.db;
    const unitId = await unitIdOf(db, COMPANY_CODE);
    await seedInsured(db, { unitId, idNumber: WANG.id, name: WANG.name, from: '2026-01-01' });
    await seedInsured(db, { unitId, idNumber: LEE.id, name: LEE.name, from: '2026-01-01', to: '2026-06-30' });
    await seedDependant(db, {
      unitId,
      insuredIdNumber: WANG.id,
      idNumber: CHILD.id,
      name: CHILD.name,
      from: '2026-02-01',
    });
    await seedSubmission(db, {
      unitId,
      clerkId: clerk.id,
      receiptNo: 'R1150105000001',
      receivedAt: '2026-01-05T02:00:00.000Z',
      filings: [
        { kind: 'enrol', idNumber: WANG.id, name: WANG.name, effectiveDate: '2026-01-01' },
        { kind: 'enrol', idNumber: LEE.id, name: LEE.name, effectiveDate: '2026-01-01' },
      ],
    });
    await seedSubmission(db, {
      unitId,
      clerkId: clerk.id,
      receiptNo: 'R1150701000002',
      receivedAt: '2026-07-01T02:00:00.000Z',
      filings: [{ kind: 'withdraw', idNumber: LEE.id, name: LEE.name, effectiveDate: '2026-06-30' }],
    });
  } finally {
    await database.close();
  }

  session = await launchChromium({ registerHost: false });
  await session.worker.evaluate(
    async (values) => {
      const g = globalThis as unknown as {
        chrome: {
          storage: { local: { set(v: object): Promise<void> }; session: { set(v: object): Promise<void> } };
        };
      };
      await g.chrome.storage.local.set(values.local);
      await g.chrome.storage.session.set(values.session);
    },
    {
      local: { portalAddress: portal.origin, language: 'en' },
      session: {
        [SESSION_KEY]: {
          portal: portal.origin,
          token: login.sessionToken,
          expiresAt: login.expiresAt,
          role: login.role,
          unit: login.unit,
          subject: login.subject,
        },
      },
    },
  );
  const cdp = await session.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  page = await session.browser.newPage();
}, 180_000);

afterAll(async () => {
  await session?.close();
  await portal?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const textOf = (selector: string) =>
  page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText.trim());

async function fill(selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

/** A date input's value as the date picker sets it (typing depends on the browser's locale). */
async function setDate(selector: string, iso: string): Promise<void> {
  await page.$eval(
    selector,
    (e, value) => {
      (e as unknown as { value: string }).value = value;
      e.dispatchEvent(new Event('input', { bubbles: true }));
    },
    iso,
  );
}

/** The CSV Chromium saved whose name starts with `prefix` (waits for the download to finish). */
async function downloaded(prefix: string): Promise<Buffer> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const name = readdirSync(downloads).find((f) => f.startsWith(prefix) && f.endsWith('.csv'));
    if (name) return readFileSync(path.join(downloads, name));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${prefix}*.csv downloaded: ${readdirSync(downloads).join(', ')}`);
}

const rosterNames = () =>
  page.$$eval('[data-screen="roster"] tbody tr[data-person] th', (cells) =>
    cells.map((c) => (c as unknown as { innerText: string }).innerText.trim()),
  );

describe('query pages', () => {
  it('reaches the roster from the home page, masks IDs and reveals one, audited', async () => {
    await page.goto(`${PORTAL_PAGE}#/home`);
    await clickWhenSettled(page, 'home', 'a[href="#/roster"]');
    await page.waitForSelector('[data-screen="roster"] tr[data-person]', { timeout: 20_000 });
    // Today: 王大明 only (李小華 left on 2026-06-30), with his child.
    expect(await rosterNames()).toEqual([WANG.name]);
    const masked = await textOf('[data-screen="roster"] tr[data-person] [data-masked]');
    expect(masked).toBe(`${WANG.id.slice(0, 2)}*****${WANG.id.slice(-3)}`);
    expect(await page.content()).not.toContain(WANG.id);
    expect(await textOf('tr.dependant th')).toContain(CHILD.name);

    await page.click('tr[data-person] [data-action="reveal"]');
    await page.waitForSelector('tr[data-person] [data-revealed]', { timeout: 20_000 });
    expect(await textOf('tr[data-person] [data-revealed]')).toBe(WANG.id);
    const database = openDatabase({ kind: 'sqlite', file: databaseFile });
    try {
      const audit = await database.db
        .selectFrom('audit')
        .selectAll()
        .where('event', '=', 'id-reveal')
        .execute();
      expect(audit).toMatchObject([{ outcome: 'success', unit_code: COMPANY_CODE }]);
    } finally {
      await database.close();
    }
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the roster of a past day', async () => {
    await setDate('#roster-asOf', '2026-03-01');
    await page.click('[data-screen="roster"] [data-action="search"]');
    await page.waitForFunction(
      () => document.querySelector('h2[data-as-of]')?.getAttribute('data-as-of') === '2026-03-01',
      { timeout: 20_000 },
    );
    expect((await rosterNames()).sort()).toEqual([WANG.name, LEE.name].sort());
    expect(await textOf('h2[data-as-of]')).toContain('115/03/01');
  });

  it('exports the roster as CSV with a BOM that Excel opens', async () => {
    await page.click('[data-screen="roster"] [data-action="export"]');
    const file = await downloaded('roster-2026-03-01');
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toContain('身分證號 ID number');
    expect(text).toContain(WANG.name);
    expect(text).toContain(CHILD.name);
    expect(text).not.toContain(WANG.id);
  });

  it('filters the filing history and exports it', async () => {
    await page.goto(`${PORTAL_PAGE}#/history`);
    await page.waitForSelector('[data-screen="history"] tr[data-filing]', { timeout: 20_000 });
    expect(await textOf('h2[data-total]')).toContain('3');
    await page.select('#history-kind', 'withdraw');
    await page.click('[data-screen="history"] [data-action="search"]');
    await page.waitForFunction(
      () => document.querySelector('h2[data-total]')?.getAttribute('data-total') === '1',
      {
        timeout: 20_000,
      },
    );
    expect(await textOf('tr[data-filing] [data-receipt]')).toBe('R1150701000002');
    expect(await axeViolations(page)).toEqual([]);

    await page.click('[data-screen="history"] [data-action="export"]');
    const file = await downloaded('filings-');
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('R1150701000002');
    expect(lines[1]).toContain('退保');
  });

  it('refuses an ID number with a wrong check digit next to the filter', async () => {
    await fill('#history-idNumber', `${WANG.id.slice(0, 9)}${(Number(WANG.id.slice(-1)) + 1) % 10}`);
    await page.click('[data-screen="history"] [data-action="search"]');
    await page.waitForSelector('#history-idNumber-error', { timeout: 20_000 });
    expect(await page.$eval('#history-idNumber-error', (e) => e.getAttribute('data-error'))).toBe(
      'ERR_PORTAL_INVALID_ID_NUMBER',
    );
  });
});
