/**
 * The e-service desk (承保業務網路服務專區) in Chromium and Firefox as ordinary web pages, without the
 * extension, against the portal running as its own process (SQLite, real SMTP lab): register, the
 * activation mail, log in, apply for a form, watch its progress and download the PDF (pdftotext
 * reads it). Every page is checked with axe. Firefox: log in and apply for a form.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer, type PortalServer } from '../../lab/portalProcess.ts';
import { startSmtp, type SmtpLab } from '../../lab/smtp.ts';
import { DESK_PATHS } from '../../shared/desk/deskForms.ts';
import { deskText } from '../../shared/desk/messages.ts';
import { mailText } from '../integration/desk/deskClient.ts';
import { axeViolations } from './helpers/axe.ts';
import { CHROMIUM } from './helpers/chromium.ts';
import { fillAndSend, mainText } from './helpers/deskBrowser.ts';
import { FIREFOX } from './helpers/firefox.ts';

const CLERK = {
  unitCode: '012345678',
  idNumber: 'A123456789',
  cardNumber: '000012345678',
  email: 'desk.clerk@company.example.test',
  password: 'violet harbour lantern 42',
};

let dir: string;
let smtp: SmtpLab;
let portal: PortalServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-desk-e2e-'));
  smtp = await startSmtp();
  portal = await startPortalServer({
    DATABASE_URL: path.join(dir, 'portal.sqlite'),
    SMTP_URL: smtp.url,
    PORTAL_OUTBOX_DIR: path.join(dir, 'outbox'),
  });
}, 120_000);
afterAll(async () => {
  await portal?.stop();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lastMonth = () => {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

async function expectAxeClean(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${portal.origin}${DESK_PATHS.login}`);
  await fillAndSend(
    page,
    { unitCode: CLERK.unitCode, idNumber: CLERK.idNumber, password: CLERK.password },
    true,
  );
  expect(new URL(page.url()).pathname).toBe(DESK_PATHS.forms);
}

async function applyForLastMonth(page: Page): Promise<void> {
  await page.goto(`${portal.origin}${DESK_PATHS.forms}`);
  await fillAndSend(page, { 'resend-fromMonth': lastMonth(), 'resend-toMonth': lastMonth() }, false);
  expect(new URL(page.url()).pathname).toBe(DESK_PATHS.progress);
}

describe('the desk in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => browser?.close());

  it('registers, activates from the mail, logs in, applies, follows the progress and downloads the PDF', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    await page.goto(`${portal.origin}${DESK_PATHS.register}`);
    await expectAxeClean(page);
    await fillAndSend(page, { ...CLERK, passwordAgain: CLERK.password, email: CLERK.email }, true);
    expect(await mainText(page)).toContain(deskText('registeredBody', 'zh-TW'));

    const mail = await smtp.waitFor((m) => m.headers['x-cardbridge-event'] === 'desk-activation', 30_000);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/desk\/activate\?token=[\w-]+)/.exec(mailText(mail))![1]!;
    // Opening the link only shows its button (mail scanners open links); the button activates.
    await page.goto(link);
    expect(await mainText(page)).toContain(deskText('activateIntro', 'zh-TW'));
    await expectAxeClean(page);
    await Promise.all([page.waitForNavigation({ timeout: 60_000 }), page.click('main form button')]);
    expect(await mainText(page)).toContain(deskText('activatedBody', 'zh-TW'));

    await logIn(page);
    await expectAxeClean(page);
    await applyForLastMonth(page);
    for (let i = 0; i < 120 && !(await page.$('tr[data-state="ready"]')); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await page.$('tr[data-state="ready"]')).not.toBeNull();
    await expectAxeClean(page);

    const downloads = path.join(dir, 'downloads');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('tr[data-state="ready"] a[href^="/desk/files/"]');
    let pdf: string | undefined;
    for (let i = 0; i < 120 && !pdf; i++) {
      await new Promise((r) => setTimeout(r, 250));
      pdf = existsSync(downloads) ? readdirSync(downloads).find((f) => f.endsWith('.pdf')) : undefined;
    }
    expect(pdf).toBeDefined();
    const text = spawnSync('pdftotext', ['-layout', path.join(downloads, pdf!), '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('TEST 卡橋測試股份有限公司');
    expect(cspViolations).toEqual([]);

    // English, and the keyboard reaches the skip link first.
    await page.goto(`${portal.origin}${DESK_PATHS.account}?lang=en`);
    expect(await page.$eval('html', (h) => h.lang)).toBe('en');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await expectAxeClean(page);
  }, 240_000);
});

describe('the desk in Firefox', () => {
  let browser: Browser;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'cardbridge-desk-firefox-'));
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      env: { ...process.env, HOME: home },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in and applies for a form', async () => {
    const page = await browser.newPage();
    await logIn(page);
    await applyForLastMonth(page);
    expect(await page.$$('tbody tr')).not.toHaveLength(0);
    expect(await mainText(page)).toContain(deskText('resendTitle', 'zh-TW'));
  }, 180_000);
});
