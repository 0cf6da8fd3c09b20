/**
 * Filing in Chromium (issue 10), one browser start: a certificate clerk files 加保 on the bundled
 * portal pages and signs it in the prompt window with the citizen certificate and PIN; an NHI-card
 * clerk files 加保 and the lab's virtual NHI card answers the filing challenge. Checked: the prompt
 * says what is signed (「簽署申報」, kind, count, masked names), the receipt page shows the 受理編號,
 * the portal (its own process, SQLite, processing every second) accepts the filings and the unit
 * gets the outcome mail over SMTP. The form (with a field error) and the receipt are axe clean.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NHI_CARD, LAB_SAM_MASTER_KEY, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import {
  createTestPki,
  TEST_IDENTITIES,
  type IssuedCertificate,
  type TestPki,
} from '../../lab/pki/testPki.ts';
import { startPortalServer, type PortalServer } from '../../lab/portalProcess.ts';
import { startSmtp, type SmtpLab } from '../../lab/smtp.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { SEED_UNITS } from '../../portal/src/db/seed.ts';
import { RECEIPT_PATTERN } from '../../portal/src/services/receipts.ts';
import { nhiChallenge } from '../../shared/nhi/challenge.ts';
import { cardResponse, deriveCardKey } from '../../shared/node/nhi/samEmulation.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { taipeiDate } from '../../shared/tw/taipeiTime.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import iconv from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import { HEADER, csvText, enrolRow } from '../support/batchFiles.ts';
import { PromptDriver } from './helpers/promptDriver.ts';
import { clickWhenSettled } from './helpers/settled.ts';

const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}`;
const PORTAL_PAGE = `${EXTENSION_ORIGIN}/extension/pages/portal/index.html`;
const CITIZEN_PIN = LAB_TOKENS.find((t) => t.label.includes('王大明'))!.pin;
// The prompt writes holder · issuer (MOICA) · valid until (shared/pki/certificateLabel.ts).
const CITIZEN_SIGNING_CERTIFICATE = new RegExp(`${TEST_IDENTITIES.citizen.name} · [^·]*\\(MOICA\\) ·`);
const COMPANY = SEED_UNITS.find((u) => u.ubn === TEST_IDENTITIES.company.ubn)!;
const NHI_PASSWORD = 'Card2026ok';

let lab: Lab;
let hsm: SoftHsmLab;
let smtp: SmtpLab;
let portal: PortalServer;
let pki: TestPki;
let workDir: string;
let session: ChromiumSession;
let page: Page;
let prompts: PromptDriver;

// ---- Set-up through the API: the unit registered, with a certificate clerk and an NHI-card clerk ----

async function nonce(): Promise<string> {
  return (await portal.api<{ nonce: string }>('POST', '/api/nonces')).body.nonce;
}

async function certificateProof(leaf: IssuedCertificate) {
  const n = await nonce();
  return {
    kind: 'certificate',
    nonce: n,
    token: await signAuthToken(leaf, { origin: portal.origin, nonce: n }),
  };
}

async function expectOk(answer: Promise<{ status: number; body: unknown }>): Promise<unknown> {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
}

async function prepareUnit(): Promise<void> {
  await expectOk(
    portal.api('POST', '/api/registrations', { body: { proof: await certificateProof(pki.leaves.company) } }),
  );
  const login = (await expectOk(
    portal.api('POST', '/api/sessions', {
      body: { role: 'unit', proof: await certificateProof(pki.leaves.company) },
    }),
  )) as { sessionToken: string };
  const token = login.sessionToken;
  await expectOk(
    portal.api('POST', '/api/units/current/clerks', {
      token,
      body: { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
    }),
  );
  await expectOk(
    portal.api('POST', '/api/units/current/clerks', {
      token,
      body: {
        kind: 'nhi-card',
        cardNumber: DEMO_NHI_CARD.cardNumber,
        idNumber: DEMO_NHI_CARD.idNumber,
        name: DEMO_NHI_CARD.name,
      },
    }),
  );
  const n = await nonce();
  const response = cardResponse(
    deriveCardKey(LAB_SAM_MASTER_KEY, DEMO_NHI_CARD.cardNumber),
    await nhiChallenge(portal.origin, n),
  );
  await expectOk(
    portal.api('POST', '/api/nhi-cards/password', {
      body: {
        proof: {
          kind: 'nhi-card',
          nonce: n,
          cardNumber: DEMO_NHI_CARD.cardNumber,
          response: response.toString('base64'),
          password: NHI_PASSWORD,
        },
      },
    }),
  );
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-filings-e2e-'));
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(DEMO_NHI_CARD), lab.slot(0)).insert();
  pki = await createTestPki();
  hsm = SoftHsmLab.create(pki, LAB_TOKENS);
  const trustDir = path.join(workDir, 'trust');
  writeTrustDir(pki, trustDir);
  smtp = await startSmtp();
  portal = await startPortalServer({
    DATABASE_URL: path.join(workDir, 'portal.sqlite'),
    SMTP_URL: smtp.url,
    PORTAL_TRUST_DIR: trustDir,
    PORTAL_CORS_ORIGINS: EXTENSION_ORIGIN,
    PORTAL_NHI_SAM_MASTER_KEY: LAB_SAM_MASTER_KEY.toString('hex'),
    PORTAL_RATE_LIMIT_MAX: '10000',
    PORTAL_FILING_PROCESS_MS: '1000',
    PORTAL_LOG_LEVEL: 'warn',
  });
  await prepareUnit();
  session = await launchChromium({
    env: {
      ...lab.env,
      ...hsm.env,
      CARDBRIDGE_PKCS11_MODULES: hsm.module,
      CARDBRIDGE_DEV_ORIGINS: portal.origin,
    },
  });
  await session.worker.evaluate(
    async (values) => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { set(v: object): Promise<void> } } };
      };
      await g.chrome.storage.local.set(values);
    },
    { portalAddress: portal.origin, language: 'en' },
  );
  prompts = new PromptDriver(session.browser);
  page = await session.browser.newPage();
}, 180_000);

afterAll(async () => {
  await session?.close();
  await portal?.stop();
  await smtp?.stop();
  hsm?.dispose();
  await lab?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// ---- The page ----

async function open(route: string, expected: string = route): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${PORTAL_PAGE}#/${route}`);
  await page.waitForSelector(`[data-screen="${expected}"]`, { timeout: 20_000 });
}

async function click(selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.click(selector);
}

async function fill(selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

const textOf = (p: Page, selector: string) =>
  p.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText.trim());

/** Fills the 加保 form from the clerk's home page, by keyboard-reachable controls only. */
async function fileEnrolment(person: { idNumber: string; name: string }): Promise<void> {
  await open('home');
  await click('[data-action="go-filings"]');
  await page.waitForSelector('[data-screen="filings"]', { timeout: 20_000 });
  await page.select('#filing-kind', 'enrol');
  await fill('#filing-idNumber', person.idNumber);
  await fill('#filing-name', person.name);
  await fill('#filing-birthDate', '79/05/17');
  await fill('#filing-enrolmentDate', taipeiDate(new Date()));
  await fill('#filing-insuredAmount', '29,500');
  await click('[data-action="sign-filing"]');
}

/** What the prompt says is signed. */
async function expectFilingShown(prompt: Page, maskedName: string): Promise<void> {
  expect(await textOf(prompt, '[data-title]')).toBe('Sign filing');
  expect(await textOf(prompt, '[data-filing-kinds]')).toContain('Enrolment');
  expect(await textOf(prompt, '[data-filing-count]')).toContain('1 filings for 1 persons');
  expect(await textOf(prompt, '[data-filing-names]')).toContain(maskedName);
}

async function receiptShown(): Promise<string> {
  await page.waitForSelector('[data-screen="receipt"] [data-receipt-no]', { timeout: 30_000 });
  const receiptNo = await textOf(page, '[data-receipt-no]');
  expect(receiptNo).toMatch(RECEIPT_PATTERN);
  return receiptNo;
}

/** The unit has at least `count` outcome mails (one per processed submission). */
const outcomeMails = (count: number) =>
  smtp.waitFor(
    () =>
      smtp.mails.filter(
        (m) => m.to.includes(COMPANY.contactEmail) && m.headers['x-cardbridge-event'] === 'filing-processed',
      ).length >= count,
    30_000,
  );

async function logout(): Promise<void> {
  await open('home');
  await click('[data-action="logout"]');
  await page.waitForSelector('[data-screen="login"]', { timeout: 20_000 });
}

describe('filing 加保 signed in the prompt', () => {
  it('a certificate clerk signs with the citizen certificate and PIN; the portal accepts it', async () => {
    await open('login');
    await click('#role-clerk');
    await click('[data-action="certificate"]');
    await click('[data-action="login"]');
    await prompts.answer({ certificate: CITIZEN_SIGNING_CERTIFICATE, pin: CITIZEN_PIN });
    await page.waitForSelector('[data-screen="home"]', { timeout: 20_000 });

    // A field error is shown beside its field before anything is signed.
    await fileEnrolment({ idNumber: 'A123456788', name: '王小明' });
    await page.waitForSelector('#filing-idNumber-error', { timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);
    await fill('#filing-idNumber', 'A123456789');
    await click('[data-action="sign-filing"]');
    await prompts.answer({
      certificate: CITIZEN_SIGNING_CERTIFICATE,
      pin: CITIZEN_PIN,
      inspect: (prompt) => expectFilingShown(prompt, '王*明'),
    });
    await receiptShown();
    await outcomeMails(1);
    await click('[data-action="refresh-receipt"]');
    await page.waitForSelector('[data-filing-state="accepted"]', { timeout: 20_000 });
    expect(await axeViolations(page)).toEqual([]);
    await logout();
  }, 180_000);

  it("an NHI-card clerk's virtual card answers the filing challenge; no PIN is asked", async () => {
    await open('login');
    await click('#role-clerk');
    await click('[data-action="nhi-card"]');
    await fill('#password', NHI_PASSWORD);
    await click('[data-action="login"]');
    await prompts.answer();
    await page.waitForSelector('[data-screen="home"]', { timeout: 20_000 });

    await fileEnrolment({ idNumber: 'F131104093', name: '林小華' });
    await prompts.answer({
      inspect: async (prompt) => {
        expect(await prompt.$('#pin')).toBeNull();
        await expectFilingShown(prompt, '林*華');
      },
    });
    await receiptShown();
    await outcomeMails(2);
    await click('[data-action="refresh-receipt"]');
    await page.waitForSelector('[data-filing-state="accepted"]', { timeout: 20_000 });
  }, 180_000);
  it('a certificate clerk uploads a Big5 CSV with errors, sees the row report, fixes it, uploads again and signs the file', async () => {
    await logout();
    await open('login');
    await click('#role-clerk');
    await click('[data-action="certificate"]');
    await click('[data-action="login"]');
    await prompts.answer({ certificate: CITIZEN_SIGNING_CERTIFICATE, pin: CITIZEN_PIN });
    await page.waitForSelector('[data-screen="home"]', { timeout: 20_000 });

    const today = taipeiDate(new Date());
    const upload = async (name: string, rows: string[][]) => {
      const file = path.join(workDir, name);
      writeFileSync(file, iconv.encode(csvText([HEADER, ...rows]), 'cp950'));
      const input = await page.waitForSelector('input#batch-file');
      await input!.uploadFile(file);
      await click('[data-action="check-batch"]');
      await page.waitForSelector('[data-batch-report]', { timeout: 30_000 });
    };
    await clickWhenSettled(page, 'home', 'a[href="#/batch"]');
    await page.waitForSelector('[data-screen="batch"]', { timeout: 20_000 });
    // Row 3's ID number has a wrong check digit: reported on its row and field; the file cannot be signed whole.
    await upload('異動-1.csv', [
      enrolRow('C101205539', today, '陳大文'),
      enrolRow('D102202338', today, '李小美'),
    ]);
    const report = await page.$$eval('[data-batch-report] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-row'), r.getAttribute('data-severity')]),
    );
    expect(report).toEqual([['3', 'error']]);
    // The screen with its report table and choices passes axe (no serious or critical violation).
    expect(await axeViolations(page)).toEqual([]);
    expect(await textOf(page, '[data-batch-report] tbody tr')).toContain('ID number');
    expect(
      await page.$eval(
        'input[name="scope"][value="file"]',
        (e) => (e as unknown as { disabled: boolean }).disabled,
      ),
    ).toBe(true);

    // Fixed and uploaded again: no problem left, the whole file is chosen and signed.
    await upload('異動-2.csv', [
      enrolRow('C101205539', today, '陳大文'),
      enrolRow('D102202337', today, '李小美'),
    ]);
    await page.waitForSelector('[data-batch-clean]');
    expect(
      await page.$eval(
        'input[name="scope"][value="file"]',
        (e) => (e as unknown as { checked: boolean }).checked,
      ),
    ).toBe(true);
    await click('[data-action="sign-batch"]');
    await prompts.answer({
      certificate: CITIZEN_SIGNING_CERTIFICATE,
      pin: CITIZEN_PIN,
      inspect: async (prompt) => {
        expect(await textOf(prompt, '[data-filing-count]')).toContain('2 filings for 2 persons');
      },
    });
    await page.waitForSelector('[data-batch-receipt] [data-receipt-no]', { timeout: 30_000 });
    expect(await textOf(page, '[data-receipt-no]')).toMatch(RECEIPT_PATTERN);
    expect(await textOf(page, '[data-batch-receipt] [data-filing-count]')).toBe('2');
    await outcomeMails(3);
  }, 240_000);
});
