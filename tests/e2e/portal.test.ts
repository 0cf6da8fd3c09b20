/**
 * The bundled portal pages in Chromium against the reference portal running as its own process
 * (SQLite, real SMTP, trust directory of the test PKI, SAM emulation): a unit registers with its
 * company certificate and with the responsible person's NHI card, assigns a clerk by the clerk's
 * citizen certificate, the clerk logs in, the unit withdraws the clerk. Card steps are answered in
 * the extension's prompt window, as a clerk would. Checked: what the page shows, the mails the SMTP
 * server receives, and the portal's API answers.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_UNITS } from '../../portal/src/db/seed.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { DEMO_NHI_CARD, LAB_SAM_MASTER_KEY, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { createTestPki, TEST_IDENTITIES } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../lab/smtp.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { PromptDriver } from './helpers/promptDriver.ts';
import { startPortalServer, type PortalServer } from '../../lab/portalProcess.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}`;
const PORTAL_PAGE = `${EXTENSION_ORIGIN}/extension/pages/portal/index.html`;
/** Where the pages keep the session (extension/pages/portal/session.ts SESSION_KEY). */
const SESSION_KEY = 'portalSession';

const pinOf = (label: string) => LAB_TOKENS.find((t) => t.label.includes(label))!.pin;
const CITIZEN_PIN = pinOf('王大明');
const COMPANY_PIN = pinOf('MOEACA');

/** The unit of the company certificate (by UBN) and the agency, both led by the demo card's holder. */
const COMPANY = SEED_UNITS.find((u) => u.ubn === TEST_IDENTITIES.company.ubn)!;
const AGENCY = SEED_UNITS.find((u) => u.organizationId === TEST_IDENTITIES.agency.organizationId)!;

// Holder · issuer as a clerk knows them (shared/pki/certificateLabel.ts).
const COMPANY_CERTIFICATE = new RegExp(`${TEST_IDENTITIES.company.name} · [^·]*\\(MOEACA\\) ·`);
const CITIZEN_SIGNING_CERTIFICATE = new RegExp(`${TEST_IDENTITIES.citizen.name} · [^·]*\\(MOICA\\) ·`);
const NHI_PASSWORD = 'Card2026ok';

let lab: Lab;
let hsm: SoftHsmLab;
let smtp: SmtpLab;
let portal: PortalServer;
let workDir: string;
let session: ChromiumSession;
let page: Page;
let prompts: PromptDriver;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  workDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-portal-e2e-'));
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(DEMO_NHI_CARD), lab.slot(0)).insert();
  const pki = await createTestPki();
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
    PORTAL_LOG_LEVEL: 'warn',
  });
  session = await launchChromium({
    env: {
      ...lab.env,
      ...hsm.env,
      CARDBRIDGE_PKCS11_MODULES: hsm.module,
      // The host refuses plain-http origins that are not configured as development origins.
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
  await open('register');
}, 120_000);

afterAll(async () => {
  await session?.close();
  await portal?.stop();
  await smtp?.stop();
  hsm?.dispose();
  await lab?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// ---- The page, as the clerk sees it ----

/** Loads the portal page afresh at a route (forms start empty; the session stays) and waits for `expect`. */
async function open(route: string, expected: string = route): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${PORTAL_PAGE}#/${route}`);
  await screen(expected);
}

async function screen(name: string): Promise<void> {
  await page.waitForSelector(`[data-screen="${name}"]`, { timeout: 20_000 });
}

async function click(selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.click(selector);
}

const action = (name: string) => click(`[data-action="${name}"]`);

async function fill(selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

const textOf = (selector: string) =>
  page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText.trim());

/** The refusal shown in the page's alert (not the client-side "fix the fields" one). */
async function shownAlert(): Promise<{ code: string; text: string }> {
  const selector = '[role="alert"][data-error]:not([data-error="validation"])';
  await page.waitForSelector(selector, { timeout: 20_000 });
  return page.$eval(selector, (e) => ({
    code: e.getAttribute('data-error') ?? '',
    text: (e as unknown as { innerText: string }).innerText.trim(),
  }));
}

async function fieldError(id: string): Promise<{ code: string; text: string }> {
  await page.waitForSelector(`#${id}-error`, { timeout: 20_000 });
  return page.$eval(`#${id}-error`, (e) => ({
    code: e.getAttribute('data-error') ?? '',
    text: (e as unknown as { innerText: string }).innerText.trim(),
  }));
}

// ---- The server's side ----

/** The session token the pages keep in the extension's session storage (never in the page). */
async function sessionToken(): Promise<string> {
  const stored = await session.worker.evaluate(async (key) => {
    const g = globalThis as unknown as {
      chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
    };
    return (await g.chrome.storage.session.get(key))[key] as { token?: string } | undefined;
  }, SESSION_KEY);
  if (!stored?.token) throw new Error('no portal session in the extension');
  return stored.token;
}

interface ClerkView {
  id: string;
  displayName: string;
  kind: string;
  status: 'active' | 'revoked';
}

async function serverClerks(): Promise<ClerkView[]> {
  const answer = await portal.api<{ clerks: ClerkView[] }>('GET', '/api/units/current/clerks', {
    token: await sessionToken(),
  });
  expect(answer.status).toBe(200);
  return answer.body.clerks;
}

function mailFor(to: string, event: string): Promise<ReceivedMail> {
  return smtp.waitFor((mail) => mail.to.includes(to) && mail.headers['x-cardbridge-event'] === event, 10_000);
}

const mailsFor = (to: string, event: string) =>
  smtp.mails.filter((mail) => mail.to.includes(to) && mail.headers['x-cardbridge-event'] === event).length;

// ---- Flows ----

async function loginUnitByCertificate(): Promise<void> {
  await open('login');
  await click('#role-unit');
  await action('certificate');
  await action('login');
  await prompts.answer({
    certificate: COMPANY_CERTIFICATE,
    pin: COMPANY_PIN,
    // The unit's login offers unit certificates only: the company PIN never goes to a citizen card.
    inspect: async (prompt) => expectFamilies(prompt, /\((MOEACA|GCA|XCA)\)/),
  });
  await screen('clerks');
}

/** Every certificate the prompt offers is of the families `families` names. */
async function expectFamilies(prompt: Page, families: RegExp): Promise<void> {
  const labels = await prompt.$$eval('label.certificate', (ls) => ls.map((l) => l.textContent ?? ''));
  expect(labels.length).toBeGreaterThan(0);
  expect(labels.filter((label) => !families.test(label))).toEqual([]);
}

async function loginClerkByCertificate(): Promise<void> {
  await open('login');
  await click('#role-clerk');
  await action('certificate');
  await action('login');
  await prompts.answer({
    certificate: CITIZEN_SIGNING_CERTIFICATE,
    pin: CITIZEN_PIN,
    // The clerk's login offers the clerk's own citizen certificate only.
    inspect: async (prompt) => expectFamilies(prompt, /\(MOICA\)/),
  });
}

async function loginUnitByNhiCard(unitCode: string, password: string): Promise<void> {
  await open('login');
  await click('#role-unit');
  await action('nhi-card');
  await fill('#unit-code', unitCode);
  await fill('#password', password);
  await action('login');
  await prompts.answer({
    inspect: async (prompt) => {
      // Consent only: no certificate and no PIN are asked for the NHI card.
      expect(await prompt.$('#pin')).toBeNull();
      expect(await prompt.$('label.certificate')).toBeNull();
    },
  });
}

async function logout(): Promise<void> {
  await open('home');
  await action('logout');
  await screen('login');
}

/** Logged out, whatever state the previous test left. */
async function loggedOut(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${PORTAL_PAGE}#/home`);
  await page.waitForSelector('[data-screen="home"], [data-screen="login"]', { timeout: 20_000 });
  if (await page.$('[data-screen="home"]')) {
    await action('logout');
    await screen('login');
  }
}

describe('unit certificate path', () => {
  it('registers the unit with its company certificate: approved on the page, e-mailed to the unit', async () => {
    await open('register');
    // Registration by unit certificate is the default choice.
    expect(await page.$eval('[data-action="certificate"]', (e) => e.getAttribute('aria-pressed'))).toBe(
      'true',
    );
    // Where to apply for a unit certificate, for a clerk who has none yet.
    const apply = await page.$eval('[data-where-to-apply]', (e) => e.textContent ?? '');
    for (const site of ['moeaca.nat.gov.tw', 'gca.nat.gov.tw', 'xca.nat.gov.tw'])
      expect(apply).toContain(site);
    await action('register');
    await prompts.answer({
      certificate: COMPANY_CERTIFICATE,
      pin: COMPANY_PIN,
      inspect: async (prompt) => {
        expect(await prompt.$eval('[data-origin]', (e) => e.textContent)).toBe(portal.origin);
        // The prompt says what the proof is for.
        expect(await prompt.$eval('[data-purpose]', (e) => e.textContent)).toBe(
          'Purpose: register the insured unit',
        );
      },
    });
    await page.waitForSelector('[data-result]', { timeout: 20_000 });
    expect(await page.$eval('[data-result]', (e) => e.getAttribute('data-result'))).toBe('approved');
    const unitLine = await textOf('[data-result] [data-unit-name]');
    expect(unitLine).toContain(COMPANY.name);
    expect(unitLine).toContain(COMPANY.unitCode);
    expect(await textOf('[data-result]')).toContain(COMPANY.contactEmail);
    await page.screenshot({ path: path.join(ARTIFACTS, 'portal-register-en.png'), fullPage: true });

    const mail = await mailFor(COMPANY.contactEmail, 'registration-approved');
    expect(mail.to).toEqual([COMPANY.contactEmail]);
  });

  it('logs in as the unit with the same certificate and lands on the clerks screen', async () => {
    await loginUnitByCertificate();
    await page.waitForSelector('[data-active]', { timeout: 20_000 });
    expect(await page.$eval('[data-active]', (e) => e.getAttribute('data-active'))).toBe('0');
    expect(await page.$('[data-clerk]')).toBeNull();
    const current = await portal.api<{ role: string; unit: { code: string; name: string } }>(
      'GET',
      '/api/sessions/current',
      { token: await sessionToken() },
    );
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      role: 'unit',
      unit: { code: COMPANY.unitCode, name: COMPANY.name },
    });
  });

  it('adds a clerk by the citizen certificate read on the spot (no PIN): row active, unit e-mailed', async () => {
    await screen('clerks');
    await action('choose-certificate');
    await prompts.answer({
      certificate: CITIZEN_SIGNING_CERTIFICATE,
      inspect: async (prompt) => {
        // Handing over the public certificate needs no PIN.
        expect(await prompt.$('#pin')).toBeNull();
      },
    });
    await page.waitForSelector('[data-chosen-name]', { timeout: 20_000 });
    expect(await textOf('[data-chosen-name]')).toBe(TEST_IDENTITIES.citizen.name);
    await action('add-clerk');
    await page.waitForSelector('[data-done="added"]', { timeout: 20_000 });
    expect(await textOf('[data-done="added"]')).toContain(TEST_IDENTITIES.citizen.name);
    // The note is announced, and sits at the top, above the list it changed (not at the bottom).
    expect(await page.$eval('[data-done="added"]', (e) => e.getAttribute('role'))).toBe('status');
    const above = await page.$eval('[data-done="added"]', (done) => {
      const list = document.getElementById('clerk-list-title')!;
      return (done.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    expect(above).toBe(true);
    // The list is reloaded after the confirmation is shown.
    await page.waitForSelector('tr[data-clerk]', { timeout: 20_000 });
    const rows = await page.$$eval('tr[data-clerk]', (trs) =>
      trs.map((tr) => ({
        status: tr.getAttribute('data-status'),
        name: (tr.querySelector('th') as unknown as { innerText: string }).innerText,
      })),
    );
    expect(rows).toEqual([{ status: 'active', name: TEST_IDENTITIES.citizen.name }]);

    await mailFor(COMPANY.contactEmail, 'clerk-added');
    expect(await serverClerks()).toMatchObject([
      { displayName: TEST_IDENTITIES.citizen.name, kind: 'certificate', status: 'active' },
    ]);
  });

  it('logs the unit out, and the clerk in with the citizen certificate: home shows the unit', async () => {
    const unitToken = await sessionToken();
    await logout();
    // Logged out on the portal too, not only in the browser.
    expect((await portal.api('GET', '/api/sessions/current', { token: unitToken })).status).toBe(401);
    await loginClerkByCertificate();
    await screen('home');
    await page.waitForSelector('[data-screen="home"] [data-unit-name]');
    expect(await textOf('[data-unit-name]')).toBe(COMPANY.name);
    expect(await page.$eval('[data-role]', (e) => e.getAttribute('data-role'))).toBe('clerk');
    // A clerk has no clerks screen: it sends home.
    await open('clerks', 'home');

    const home = await portal.api<{ role: string; unit: { name: string }; subject: { name: string } }>(
      'GET',
      '/api/home',
      { token: await sessionToken() },
    );
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({
      role: 'clerk',
      unit: { name: COMPANY.name },
      subject: { name: TEST_IDENTITIES.citizen.name },
    });
    await logout();
  });

  it('the unit withdraws the clerk; the clerk login is then refused with a clear error', async () => {
    await loginUnitByCertificate();
    await click('tr[data-clerk][data-status="active"] [data-action="revoke"]');
    await action('confirm');
    await page.waitForSelector('tr[data-clerk][data-status="revoked"]', { timeout: 20_000 });
    expect(await page.$('tr[data-clerk][data-status="active"]')).toBeNull();
    await mailFor(COMPANY.contactEmail, 'clerk-revoked');
    expect(await serverClerks()).toMatchObject([{ status: 'revoked' }]);

    await logout();
    await loginClerkByCertificate();
    const refusal = await shownAlert();
    expect(refusal.code).toBe('ERR_PORTAL_CLERK_REVOKED');
    expect(refusal.text).toContain('withdrawn');
    await screen('login');
    // One current message: the "logged out" note gave way to the refusal, nothing stacks up.
    expect(await page.$('p.notice')).toBeNull();
    expect(await page.$$eval('[role="alert"][data-error]', (list) => list.length)).toBe(1);
    // Not logged in.
    expect(
      await session.worker.evaluate(async (key) => {
        const g = globalThis as unknown as {
          chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
        };
        return (await g.chrome.storage.session.get(key))[key] ?? null;
      }, SESSION_KEY),
    ).toBeNull();
  });
});

describe('NHI card path', () => {
  it("sets the card's web password, then registers the agency by the responsible person's NHI card", async () => {
    await loggedOut();
    await open('register');
    await action('nhi-card');
    await action('set-password-step');
    await page.waitForSelector('[data-step="nhi-password"]');
    await fill('#password', NHI_PASSWORD);
    await fill('#password-confirm', NHI_PASSWORD);
    await action('set-password');
    await prompts.answer({
      inspect: async (prompt) => {
        expect(await prompt.$eval('[data-origin]', (e) => e.textContent)).toBe(portal.origin);
        expect(await prompt.$('#pin')).toBeNull();
      },
    });
    // Back on the registration form, the password carried over.
    await page.waitForSelector('#unit-code', { timeout: 20_000 });
    expect(await textOf('[data-screen="register"] form')).toContain('The web password is set');
    expect(await page.$eval('#password', (e) => (e as unknown as { value: string }).value)).toBe(
      NHI_PASSWORD,
    );

    await fill('#unit-code', AGENCY.unitCode);
    await action('register');
    await prompts.answer({ inspect: async (prompt) => expect(await prompt.$('#pin')).toBeNull() });
    await page.waitForSelector('[data-result]', { timeout: 20_000 });
    expect(await page.$eval('[data-result]', (e) => e.getAttribute('data-result'))).toBe('approved');
    expect(await textOf('[data-result] [data-unit-name]')).toContain(AGENCY.name);
    const mail = await mailFor(AGENCY.contactEmail, 'registration-approved');
    expect(mail.to).toEqual([AGENCY.contactEmail]);

    // One mail for one registration.
    expect(mailsFor(AGENCY.contactEmail, 'registration-approved')).toBe(1);
  });

  it('logs in as the unit with the NHI card and its web password', async () => {
    await loginUnitByNhiCard(AGENCY.unitCode, NHI_PASSWORD);
    await screen('clerks');
    await open('home');
    await page.waitForSelector('[data-screen="home"] [data-unit-name]');
    expect(await textOf('[data-unit-name]')).toBe(AGENCY.name);
    expect(await page.$eval('[data-role]', (e) => e.getAttribute('data-role'))).toBe('unit');
    expect(await textOf('[data-subject]')).toContain(DEMO_NHI_CARD.name);

    const current = await portal.api<{ role: string; unit: { code: string }; subject: { kind: string } }>(
      'GET',
      '/api/sessions/current',
      { token: await sessionToken() },
    );
    expect(current.body).toMatchObject({
      role: 'unit',
      unit: { code: AGENCY.unitCode },
      subject: { kind: 'nhi-card' },
    });
  });
});

describe('refusals shown on the page', () => {
  it('never offers a citizen (person) certificate to register a unit, and says Register', async () => {
    await loggedOut();
    await open('register');
    await action('register');
    const prompt = await prompts.next();
    const labels = await prompt.$$eval('label.certificate', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((l) => CITIZEN_SIGNING_CERTIFICATE.test(l))).toEqual([]);
    for (const label of labels) expect(label).toMatch(/\((MOEACA|GCA|XCA)\)/);
    expect(await prompt.$eval('[data-title]', (e) => e.textContent)).toBe('Register');
    expect(await prompt.$eval('[data-approve]', (e) => e.textContent)).toBe('Register');
    void prompt.click('button.secondary').catch(() => undefined);
    expect((await shownAlert()).code).toBe('ERR_USER_CANCELLED');
    expect(await page.$('[data-result]')).toBeNull();
  });

  it('says the NHI web password is wrong next to the password field', async () => {
    await loginUnitByNhiCard(AGENCY.unitCode, 'wrong-pass1');
    const error = await fieldError('password');
    expect(error.code).toBe('ERR_PORTAL_PASSWORD_WRONG');
    expect(error.text).toContain('password is wrong');
    expect(await page.$eval('#password', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await screen('login');
  });

  it('checks the ID number of an NHI-card clerk before anything is sent to the portal', async () => {
    await loginUnitByNhiCard(AGENCY.unitCode, NHI_PASSWORD);
    await screen('clerks');
    await action('nhi-card');
    await fill('#card-number', '0000 1234 5681');
    // E122334457 is a valid ID: one digit changed breaks its check digit.
    await fill('#id-number', 'E122334458');
    await fill('#name', '張志明 TEST');

    const sent: string[] = [];
    const onRequest = (request: HTTPRequest) => {
      if (request.url().startsWith(portal.origin))
        sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
    };
    page.on('request', onRequest);
    try {
      await action('add-clerk');
      const error = await fieldError('id-number');
      expect(error.code).toBe('portal_idNumberChecksum');
      expect(error.text).toContain('check digit');
      expect(await page.$eval('[role="alert"][data-error]', (e) => e.getAttribute('data-error'))).toBe(
        'validation',
      );
      // Give a request that should not be made the time to show up.
      await new Promise((r) => setTimeout(r, 500));
      expect(sent).toEqual([]);
      expect(await serverClerks()).toEqual([]);

      // Corrected, the same form is sent (and seen here): the clerk is added.
      await fill('#id-number', 'E122334457');
      await action('add-clerk');
      await page.waitForSelector('[data-done="added"]', { timeout: 20_000 });
    } finally {
      page.off('request', onRequest);
    }
    expect(sent).toContain('POST /api/units/current/clerks');
    expect(await page.$('#id-number-error')).toBeNull();
    expect(await serverClerks()).toMatchObject([
      { kind: 'nhi-card', displayName: '張志明 TEST', status: 'active' },
    ]);
    await mailFor(AGENCY.contactEmail, 'clerk-added');
  });
});

describe('accessibility', () => {
  it('finds no serious or critical axe violation on the register, login and clerks screens', async () => {
    const found: Record<string, string[]> = {};
    await loggedOut();
    await open('register');
    found.register = await axeViolations(page);
    await open('login');
    found.login = await axeViolations(page);
    await loginUnitByCertificate();
    await page.waitForSelector('tr[data-clerk]');
    found.clerks = await axeViolations(page);
    expect(found).toEqual({ register: [], login: [], clerks: [] });
  });
});

// Last: the company's registration ends here.
describe('cancelling the registration', () => {
  it('the unit cancels its registration with its certificate again: logged out, mailed, login refused', async () => {
    await loginUnitByCertificate();
    await open('cancel');
    // Nothing is sent before the clerk confirms they understand what cancelling does.
    await action('cancel-registration');
    await page.waitForSelector('#confirm-cancel-error');
    expect(await page.$eval('#confirm-cancel', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(mailsFor(COMPANY.contactEmail, 'registration-cancelled')).toBe(0);

    await click('#confirm-cancel');
    await action('cancel-registration');
    await prompts.answer({ certificate: COMPANY_CERTIFICATE, pin: COMPANY_PIN });
    await screen('login');
    await mailFor(COMPANY.contactEmail, 'registration-cancelled');

    // The unit is no longer registered: its certificate does not log in.
    await click('#role-unit');
    await action('certificate');
    await action('login');
    await prompts.answer({ certificate: COMPANY_CERTIFICATE, pin: COMPANY_PIN });
    expect((await shownAlert()).code).toBe('ERR_PORTAL_UNIT_NOT_REGISTERED');
  });
});
