/** Popup and options in Chromium, and an accessibility check (axe-core) of every extension page. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { startClockServer, type ClockServer } from './helpers/clockServer.ts';

const BASE = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages`;

/**
 * Chromium on Linux reads IT policy only from /etc/chromium/policies/managed, so the policy test needs
 * root (CI runs as root). The file is named for this test and removed after it.
 */
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, 'cardbridge-e2e-test.json');
const isRoot = process.getuid?.() === 0;

let lab: Lab;
let session: ChromiumSession | undefined;
let portal: ClockServer;

beforeAll(async () => {
  // A policy file left by an interrupted run would change what every test here sees.
  rmSync(POLICY_FILE, { force: true });
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  portal = await startClockServer();
});
afterAll(async () => {
  await portal?.close();
  await lab?.stop();
});

async function setLocal(s: ChromiumSession, values: Record<string, unknown>): Promise<void> {
  await s.worker.evaluate(async (v) => {
    const g = globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } };
    await g.chrome.storage.local.set(v);
  }, values);
}
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function open(s: ChromiumSession, page: string, ready: string): Promise<Page> {
  const tab = await s.browser.newPage();
  await tab.goto(`${BASE}/${page}/index.html`);
  await tab.waitForSelector(ready, { timeout: 15_000 });
  return tab;
}

describe('popup', () => {
  it('says in one line that CardBridge is ready', async () => {
    session = await launchChromium({ env: lab.env });
    await setLocal(session, { portalAddress: portal.origin });
    const popup = await open(session, 'popup', '[data-overall]:not([data-overall="checking"])');
    expect(await popup.$eval('[data-overall]', (e) => e.getAttribute('data-overall'))).toBe('ok');
    expect(await axeViolations(popup)).toEqual([]);
  });

  it('says what is wrong when the host is missing', async () => {
    session = await launchChromium({ env: lab.env, registerHost: false });
    await session.worker.evaluate(async () => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { set(v: object): Promise<void> } } };
      };
      await g.chrome.storage.local.set({ language: 'en' });
    });
    const popup = await open(session, 'popup', '[data-overall]:not([data-overall="checking"])');
    expect(
      await popup.$eval('[data-overall]', (e) => (e as unknown as { innerText: string }).innerText),
    ).toContain('not installed');
  });
});

describe('options', () => {
  it('refuses an origin that is not https://host[:port] and saves a good one', async () => {
    session = await launchChromium({ env: lab.env });
    const options = await open(session, 'options', 'form');
    await options.type('#origins', 'http://portal.example');
    await options.click('button[type="submit"]');
    await options.waitForSelector('[role="alert"]');
    expect(await options.$eval('#origins', (e) => e.getAttribute('aria-invalid'))).toBe('true');

    await options.$eval('#origins', (e) => ((e as unknown as { value: string }).value = ''));
    await options.type('#origins', 'https://portal.example:8443');
    await options.click('#dev');
    await options.click('button[type="submit"]');
    await options.waitForSelector('[role="status"]');
    const stored = await session.worker.evaluate(async () => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { get(k: string[]): Promise<Record<string, unknown>> } } };
      };
      return g.chrome.storage.local.get(['userOrigins', 'developmentMode']);
    });
    expect(stored).toEqual({ userOrigins: ['https://portal.example:8443'], developmentMode: true });
    expect(await axeViolations(options)).toEqual([]);
  });
});

describe('options: remembered consents', () => {
  it('lists each site\'s "always" and withdraws it, so the site is asked again', async () => {
    session = await launchChromium({ env: lab.env });
    await setLocal(session, {
      language: 'en',
      nhiConsent: { 'https://his.example.test': true },
      certificateConsent: { 'https://eservice.nhi.gov.tw': true },
    });
    const options = await open(session, 'options', '[data-consents]');
    const nhi = '[data-consent="nhiConsent:https://his.example.test"]';
    expect(await options.$eval(nhi, (e) => e.textContent ?? '')).toContain('reading the NHI card');
    expect(await options.$('[data-consent="certificateConsent:https://eservice.nhi.gov.tw"]')).not.toBeNull();
    expect(await axeViolations(options)).toEqual([]);

    await options.click(`${nhi} button`);
    await options.waitForFunction((sel) => !document.querySelector(sel), { timeout: 5_000 }, nhi);
    expect(await options.$eval('[data-consents] [role="status"]', (e) => e.textContent ?? '')).toContain(
      'https://his.example.test',
    );
    const stored = await session.worker.evaluate(async () => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { get(k: string[]): Promise<Record<string, unknown>> } } };
      };
      return g.chrome.storage.local.get(['nhiConsent', 'certificateConsent']);
    });
    expect(stored).toEqual({
      nhiConsent: {},
      certificateConsent: { 'https://eservice.nhi.gov.tw': true },
    });
  });
});

describe('type sizes', () => {
  it('body, labels and help text are at least 16 px, and labels are not smaller than help text', async () => {
    session = await launchChromium({ env: lab.env });
    const options = await open(session, 'options', 'form');
    const sizes = await options.evaluate(() => {
      const px = (selector: string) =>
        Array.from(document.querySelectorAll(selector)).map((e) => parseFloat(getComputedStyle(e).fontSize));
      return {
        body: px('body'),
        labels: px('label'),
        help: px('.detail'),
        fields: px('textarea, input, select'),
      };
    });
    expect(sizes.labels.length).toBeGreaterThan(0);
    expect(sizes.help.length).toBeGreaterThan(0);
    for (const size of [...sizes.body, ...sizes.labels, ...sizes.help, ...sizes.fields])
      expect(size).toBeGreaterThanOrEqual(16);
    expect(Math.min(...sizes.labels)).toBeGreaterThanOrEqual(Math.max(...sizes.help));
  });
});

describe('options: portal address', () => {
  it('refuses a plain-http address elsewhere than this computer, saves a good one, and the self-check uses it', async () => {
    session = await launchChromium({ env: lab.env });
    await setLocal(session, { language: 'en' });
    const options = await open(session, 'options', 'form');
    await options.type('#portal', 'http://portal.example');
    await options.click('button[type="submit"]');
    await options.waitForSelector('[role="alert"]');
    expect(await options.$eval('#portal', (e) => e.getAttribute('aria-invalid'))).toBe('true');

    const skewed = await startClockServer(600);
    try {
      await options.$eval('#portal', (e) => ((e as unknown as { value: string }).value = ''));
      await options.type('#portal', `${skewed.origin}/`);
      await options.click('button[type="submit"]');
      await options.waitForSelector('[role="status"]');
      const selfcheck = await open(session, 'selfcheck', '[data-check="clock"]');
      expect(await selfcheck.$eval('[data-check="clock"]', (e) => e.getAttribute('data-level'))).toBe(
        'error',
      );
      const line = await selfcheck.$eval(
        '[data-check="clock"]',
        (e) => (e as unknown as { innerText: string }).innerText,
      );
      // The portal is ten minutes ahead, so this computer is ten minutes behind it.
      expect(line).toMatch(/(59[89]|60[012]) seconds behind http:\/\/127\.0\.0\.1:\d+/);
      expect(line).toContain('sudo timedatectl set-ntp true');
    } finally {
      await skewed.close();
    }
  });
});

describe('self-check clock', () => {
  it('is fine when the portal tells the same time, and says so when the portal cannot be reached', async () => {
    session = await launchChromium({ env: lab.env });
    await setLocal(session, { language: 'en', portalAddress: portal.origin });
    let page = await open(session, 'selfcheck', '[data-check="clock"]');
    expect(await page.$eval('[data-check="clock"]', (e) => e.getAttribute('data-level'))).toBe('ok');

    const gone = await startClockServer();
    await gone.close();
    await setLocal(session, { portalAddress: gone.origin });
    page = await open(session, 'selfcheck', '[data-check="clock"]');
    expect(await page.$eval('[data-check="clock"]', (e) => e.getAttribute('data-level'))).toBe('warning');
    expect(
      await page.$eval('[data-check="clock"]', (e) => (e as unknown as { innerText: string }).innerText),
    ).toContain(`Could not reach ${gone.origin}`);
  });
});

describe("self-check clock without any portal set: NHI's own", () => {
  it('gives a neutral "cannot check now", never a warning about an address', async () => {
    session = await launchChromium({ env: lab.env });
    await setLocal(session, { language: 'en' });
    const page = await open(session, 'selfcheck', '[data-check="clock"]');
    expect(await page.$eval('[data-check="clock"]', (e) => e.getAttribute('data-level'))).toBe('info');
    const line = await page.$eval(
      '[data-check="clock"]',
      (e) => (e as unknown as { innerText: string }).innerText,
    );
    expect(line).toContain('Cannot check the clock');
    expect(line).not.toContain('Could not reach');
    expect(line).not.toContain('127.0.0.1');
  });
});

describe('options: IT policy', () => {
  afterEach(() => rmSync(POLICY_FILE, { force: true }));

  it.skipIf(!isRoot)('shows the policy values read-only and uses the policy portal address', async () => {
    mkdirSync(POLICY_DIR, { recursive: true });
    writeFileSync(
      POLICY_FILE,
      JSON.stringify({
        '3rdparty': {
          extensions: {
            [EXTENSION_IDS.chromium]: {
              allowedOrigins: ['https://policy.example.test'],
              portalAddress: portal.origin,
            },
          },
        },
      }),
    );
    session = await launchChromium({ env: lab.env });
    await setLocal(session, { language: 'en', portalAddress: 'https://clerk-choice.example.test' });
    // Chromium loads policy shortly after start-up: wait until the extension's managed storage has it.
    const deadline = Date.now() + 10_000;
    const managedKeys = () =>
      session!.worker.evaluate(async () =>
        Object.keys(
          await (
            globalThis as unknown as {
              chrome: { storage: { managed: { get(k: null): Promise<Record<string, unknown>> } } };
            }
          ).chrome.storage.managed.get(null),
        ),
      );
    while (!(await managedKeys()).includes('portalAddress') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const options = await open(session, 'options', 'form');
    const policy = await options.$eval('[data-policy]', (e) => e.textContent ?? '');
    expect(policy).toContain('https://policy.example.test');
    expect(policy).toContain(portal.origin);
    // The clerk cannot change what IT set.
    expect(await options.$eval('#portal', (e) => (e as unknown as { disabled: boolean }).disabled)).toBe(
      true,
    );
    // The self-check compares clocks with the policy's portal, not the clerk's.
    const selfcheck = await open(session, 'selfcheck', '[data-check="clock"]');
    expect(await selfcheck.$eval('[data-check="clock"]', (e) => e.textContent ?? '')).toContain(
      portal.origin,
    );
  });
});

describe('self-check accessibility', () => {
  it('has no serious or critical axe-core violation', async () => {
    session = await launchChromium({ env: lab.env });
    const page = await open(session, 'selfcheck', '[data-overall]');
    expect(await axeViolations(page)).toEqual([]);
  });
});
