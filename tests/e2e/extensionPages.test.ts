/** Popup and options in Chromium, and an accessibility check (axe-core) of every extension page. */
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { NhiCardApplet } from '../lab/cards/nhiCardApplet.ts';
import { Lab } from '../lab/lab.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';

const BASE = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages`;

let lab: Lab;
let session: ChromiumSession | undefined;

beforeAll(async () => {
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
});
afterAll(async () => {
  await lab?.stop();
});
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

describe('self-check accessibility', () => {
  it('has no serious or critical axe-core violation', async () => {
    session = await launchChromium({ env: lab.env });
    const page = await open(session, 'selfcheck', '[data-overall]');
    expect(await axeViolations(page)).toEqual([]);
  });
});
