/**
 * 電子繳款單 in Chromium with the built extension's portal pages against the reference portal as its
 * own process (SQLite, real SMTP): the unit subscribes on 電子繳款單申請及查詢, the address is
 * confirmed from the link in the mail the SMTP server received, the dispatch CLI runs on a frozen
 * 20th and the slip arrives attached, and 下載區 saves a slip PDF in which pdftotext reads the unit's
 * name. The session is made through the API (the card login has its own test: portal.test.ts), so
 * the browser starts without the host or card lab.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../portal/src/config.ts';
import { openDatabase, type PortalDatabase } from '../../portal/src/db/dialect.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import { createTestPki, type TestPki } from '../../lab/pki/testPki.ts';
import { startPortalServer, type PortalServer } from '../../lab/portalProcess.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../lab/smtp.ts';
import { addInsured, attachmentOf, pdfText } from '../integration/slips/roster.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { clickWhenSettled } from './helpers/settled.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}`;
const PORTAL_PAGE = `${EXTENSION_ORIGIN}/extension/pages/portal/index.html`;
const SESSION_KEY = 'portalSession';
const ADDRESS = 'slips@company.example.test';

let pki: TestPki;
let smtp: SmtpLab;
let portal: PortalServer;
let database: PortalDatabase;
let workDir: string;
let downloads: string;
let session: ChromiumSession;
let page: Page;
let unitName: string;

async function unitProof() {
  const { body } = await portal.api<{ nonce: string }>('POST', '/api/nonces');
  return {
    kind: 'certificate',
    nonce: body.nonce,
    token: await signAuthToken(pki.leaves.company, { origin: portal.origin, nonce: body.nonce }),
  };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-slips-e2e-'));
  downloads = path.join(workDir, 'downloads');
  mkdirSync(downloads);
  pki = await createTestPki();
  writeTrustDir(pki, path.join(workDir, 'trust'));
  smtp = await startSmtp();
  const databaseUrl = path.join(workDir, 'portal.sqlite');
  portal = await startPortalServer({
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtp.url,
    PORTAL_TRUST_DIR: path.join(workDir, 'trust'),
    PORTAL_CORS_ORIGINS: EXTENSION_ORIGIN,
    PORTAL_LOG_LEVEL: 'warn',
  });
  const registered = await portal.api('POST', '/api/registrations', { body: { proof: await unitProof() } });
  expect(registered.status).toBe(200);
  const login = await portal.api<Record<string, unknown> & { unit: { name: string } }>(
    'POST',
    '/api/sessions',
    {
      body: { role: 'unit', proof: await unitProof() },
    },
  );
  expect(login.status).toBe(200);
  unitName = login.body.unit.name;

  // The roster the filings would have built: two people insured since January 2025.
  database = openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
  const unit = await database.db
    .selectFrom('units')
    .selectAll()
    .where('name', '=', unitName)
    .executeTakeFirstOrThrow();
  await addInsured(database.db, unit.id, { idNumber: 'A100000001', name: '陳小明' });
  await addInsured(database.db, unit.id, { idNumber: 'A100000002', name: '林美華', amount: 36_300 });

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
          token: login.body.sessionToken,
          expiresAt: login.body.expiresAt,
          role: login.body.role,
          unit: login.body.unit,
          subject: login.body.subject,
        },
      },
    },
  );
  page = await session.browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
}, 180_000);

afterAll(async () => {
  await session?.close();
  await database?.close();
  await portal?.stop();
  await smtp?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const textOf = (selector: string) =>
  page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText.trim());

function confirmMail(): Promise<ReceivedMail> {
  return smtp.waitFor(
    (m) => m.to.includes(ADDRESS) && m.headers['x-cardbridge-event'] === 'slip-address-confirm',
    20_000,
  );
}

/** The link in the mail (quoted-printable or base64, as nodemailer chose). */
function linkIn(mail: ReceivedMail): string {
  const encoding = (mail.headers['content-transfer-encoding'] ?? '').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(mail.body, 'base64').toString('utf8')
      : mail.body.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  const link = /https?:\/\/[^\s]+\/slips\/confirm\?token=[A-Za-z0-9_-]+/.exec(text)?.[0];
  if (!link) throw new Error('no confirmation link in the mail');
  return link;
}

describe('e-payment slips in Chromium', () => {
  it('subscribes from the home page and shows the address waiting for confirmation', async () => {
    await page.goto(`${PORTAL_PAGE}#/home`);
    await clickWhenSettled(page, 'home', 'a[href="#/slips"]');
    await page.waitForSelector('[data-screen="slips"] [data-slip-subscription]', { timeout: 20_000 });
    expect(await textOf('[data-slip-email]')).toMatch(/None/);
    await page.type('#email', ADDRESS);
    await page.click('[data-action="subscribe"]');
    await page.waitForSelector('[data-slip-pending]', { timeout: 20_000 });
    expect(await textOf('[data-slip-pending]')).toContain(ADDRESS);
  }, 60_000);

  it('confirms the address from the link in the mail', async () => {
    const link = linkIn(await confirmMail());
    const confirmPage = await session.browser.newPage();
    try {
      await confirmPage.goto(link);
      await confirmPage.waitForSelector('form button[type="submit"]');
      await Promise.all([confirmPage.waitForNavigation(), confirmPage.click('form button[type="submit"]')]);
      const text = await confirmPage.$eval('body', (e) => (e as unknown as { innerText: string }).innerText);
      expect(text).toContain(ADDRESS);
      expect(text).toContain('已確認');
    } finally {
      await confirmPage.close();
    }
    await page.goto('about:blank');
    await page.goto(`${PORTAL_PAGE}#/slips`);
    await page.waitForSelector('[data-slip-subscription][data-active="true"]', { timeout: 20_000 });
    expect(await textOf('[data-slip-email]')).toBe(ADDRESS);
    expect(await textOf('[data-slip-next]')).toMatch(/\/20/);
  }, 60_000);

  it('mails the slip on a frozen 20th (the dispatch CLI), once', async () => {
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'portal/src/cli/dispatch.ts', '--date', '2026-12-20'],
          {
            cwd: ROOT,
            stdio: 'ignore',
            env: { ...process.env, DATABASE_URL: path.join(workDir, 'portal.sqlite'), SMTP_URL: smtp.url },
          },
        );
        child.once('exit', (code) => resolve(code));
      });
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const slips = smtp.mails.filter(
      (m) => m.to.includes(ADDRESS) && m.headers['x-cardbridge-event'] === 'slip-issued',
    );
    expect(slips).toHaveLength(1);
    expect(pdfText(attachmentOf(slips[0]!))).toContain(unitName);
  }, 120_000);

  it('saves a slip PDF from the download area, with the unit name in it', async () => {
    await page.goto('about:blank');
    await page.goto(`${PORTAL_PAGE}#/home`);
    await clickWhenSettled(page, 'home', 'a[href="#/downloads"]');
    await page.waitForSelector('[data-slip-periods] [data-download="slipPdf"]', { timeout: 20_000 });
    await page.click('[data-slip-periods] tbody tr:first-child [data-download="slipPdf"]');
    await page.waitForSelector('[data-downloaded]', { timeout: 30_000 });
    const deadline = Date.now() + 20_000;
    let saved: string | undefined;
    while (!saved && Date.now() < deadline) {
      saved = readdirSync(downloads).find((name) => name.endsWith('.pdf'));
      if (!saved) await new Promise((r) => setTimeout(r, 200));
    }
    expect(saved).toMatch(/^slip-\d+-\d{4}-\d{2}/);
    expect(pdfText(readFileSync(path.join(downloads, saved!)))).toContain(unitName);
    expect(execFileSync('pdfinfo', [path.join(downloads, saved!)], { encoding: 'utf8' })).toMatch(/A4/);
  }, 60_000);
});
