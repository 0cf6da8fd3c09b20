/**
 * Firefox: the page API end to end, and the extension's own pages (self-check, options) opened the
 * way lab-recipes.md describes. The page is served as https://eservice.nhi.gov.tw (mapped to this
 * machine), so the default allow-list is what lets it in.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { launchFirefox, openFirefoxExtensionPage, type FirefoxSession } from './helpers/firefox.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const NHI_HOST = 'eservice.nhi.gov.tw';

let lab: Lab;
let nhiSite: TestSite;
let otherSite: TestSite;
let firefox: FirefoxSession;

beforeAll(async () => {
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  nhiSite = await startTestSite({ httpsHostname: NHI_HOST });
  otherSite = await startTestSite({ httpsHostname: 'portal.example.test' });
  firefox = await launchFirefox({ env: lab.env, mapHosts: [NHI_HOST, 'portal.example.test'] });
}, 90_000);
afterAll(async () => {
  await firefox?.close();
  await nhiSite?.close();
  await otherSite?.close();
  await lab?.stop();
});

interface PageGlobals {
  CardBridgePage: { createCardBridge(): { request(action: string, payload?: unknown): Promise<unknown> } };
}

async function status(page: Page): Promise<{ ok: boolean; code?: string; result?: Record<string, unknown> }> {
  return page.evaluate(async () => {
    const lib = (globalThis as unknown as PageGlobals).CardBridgePage;
    try {
      return {
        ok: true,
        result: (await lib.createCardBridge().request('status')) as Record<string, unknown>,
      };
    } catch (error) {
      return { ok: false, code: (error as { code: string }).code };
    }
  });
}

/** The content script is injected at document_start; give Firefox a moment after installing the add-on. */
async function openWithExtension(url: string, session: FirefoxSession = firefox): Promise<Page> {
  const page = await session.browser.newPage();
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.goto(url);
    const outcome = await status(page);
    if (outcome.code !== 'ERR_EXTENSION_UNAVAILABLE') return page;
  }
  return page;
}

describe('Firefox: page API through the extension and the host', () => {
  it('answers status on an NHI origin with the NHI card', async () => {
    const page = await openWithExtension(nhiSite.url);
    const outcome = await status(page);
    expect(outcome.ok).toBe(true);
    const readers = (outcome.result as { readers: Array<{ name: string; card?: { type: string } }> }).readers;
    expect(readers.find((r) => r.name === lab.slot(0).reader)?.card?.type).toBe('nhi');
  });

  it('refuses an https origin that is not on the allow-list', async () => {
    const page = await openWithExtension(otherSite.url);
    expect(await status(page)).toEqual({ ok: false, code: 'ERR_ORIGIN_NOT_ALLOWED' });
  });
});

describe('Firefox: IT policy (managed storage)', () => {
  it('lets in an https origin that only the policy allows', async () => {
    const managed = await launchFirefox({
      env: lab.env,
      mapHosts: [NHI_HOST, 'portal.example.test'],
      managedStorage: { allowedOrigins: [new URL(otherSite.url).origin] },
    });
    try {
      const page = await openWithExtension(otherSite.url, managed);
      expect((await status(page)).ok).toBe(true);
    } finally {
      await managed.close();
    }
  });
});

describe('Firefox: the extension pages', () => {
  const innerText = (page: Page, selector: string) =>
    page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText);

  /** Sets the extension's local storage from one of its own pages (the options page). */
  async function setLocal(values: Record<string, unknown>): Promise<void> {
    const setup = await openFirefoxExtensionPage(firefox, 'extension/pages/options/index.html');
    await setup.waitForSelector('form', { timeout: 15_000 });
    await setup.evaluate(async (v) => {
      const g = globalThis as unknown as {
        browser: { storage: { local: { set(v: object): Promise<void> } } };
      };
      await g.browser.storage.local.set(v);
    }, values);
    await setup.close();
  }

  it('self-check: Firefox named with the supported browsers, the host and the NHI card, the clock neutral', async () => {
    await setLocal({ language: 'en' });
    const page = await openFirefoxExtensionPage(firefox, 'extension/pages/selfcheck/index.html');
    await page.waitForSelector('[data-check="clock"]', { timeout: 20_000 });
    expect(await innerText(page, '[data-check="browser"]')).toMatch(/Firefox \d+[\s\S]*Firefox 140 or later/);
    expect(await page.$eval('[data-check="host"]', (e) => e.getAttribute('data-level'))).toBe('ok');
    expect(await innerText(page, 'main')).toContain('NHI card');
    // No portal set: NHI's own, unreachable from the lab — neutral, no address to blame.
    expect(await page.$eval('[data-check="clock"]', (e) => e.getAttribute('data-level'))).toBe('info');
    expect(await innerText(page, 'main')).not.toContain('Could not reach');
    const bodySize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual(16);
  });

  it('options: a remembered consent is listed and withdrawn', async () => {
    await setLocal({ language: 'en', nhiConsent: { 'https://his.example.test': true } });
    const options = await openFirefoxExtensionPage(firefox, 'extension/pages/options/index.html');
    const row = '[data-consent="nhiConsent:https://his.example.test"]';
    await options.waitForSelector(row, { timeout: 15_000 });
    await options.click(`${row} button`);
    await options.waitForFunction((sel) => !document.querySelector(sel), { timeout: 5_000 }, row);
    const stored = await options.evaluate(async () => {
      const g = globalThis as unknown as {
        browser: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
      };
      return g.browser.storage.local.get('nhiConsent');
    });
    expect(stored).toEqual({ nhiConsent: {} });
  });
});
