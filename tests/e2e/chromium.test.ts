/**
 * The extension in Chromium, end to end: a web page calls the page library → content script →
 * background → native host (the built binary) → pcscd → virtual NHI card.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { ERROR_MESSAGES } from '../../shared/protocol/errors.ts';
import { CHROMIUM, launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

let lab: Lab;
let site: TestSite;
let session: ChromiumSession | undefined;

beforeAll(async () => {
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
  await lab?.stop();
});
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** What the test page sees of the page library (built into the page as `CardBridgePage`). */
interface PageGlobals {
  CardBridgePage: {
    createCardBridge(options?: { target?: unknown }): {
      request(action: string, payload?: unknown): Promise<unknown>;
    };
  };
  chrome: {
    storage: { local: { set(values: object): Promise<void> } };
    management: { setEnabled(id: string, on: boolean): Promise<void> };
    runtime: { id: string };
  };
}

type PageOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; code: string };

/** Calls the page library's status() from the page and reports what the page sees. */
async function statusFromPage(page: Page, payload: Record<string, unknown> = {}): Promise<PageOutcome> {
  return page.evaluate(async (extra) => {
    const lib = (globalThis as unknown as PageGlobals).CardBridgePage;
    try {
      const result = await lib.createCardBridge().request('status', extra);
      return { ok: true as const, result: result as Record<string, unknown> };
    } catch (error) {
      return { ok: false as const, code: (error as { code: string }).code };
    }
  }, payload);
}

async function openSite(s: ChromiumSession, developmentMode: boolean): Promise<Page> {
  await s.worker.evaluate(async (dev) => {
    await (globalThis as unknown as PageGlobals).chrome.storage.local.set({ developmentMode: dev });
  }, developmentMode);
  const page = await s.browser.newPage();
  await page.goto(site.url);
  return page;
}

describe('Chromium: page API through the extension and the host', () => {
  it('answers status from an allowed page with the readers and the NHI card', async () => {
    session = await launchChromium({ env: lab.env });
    const page = await openSite(session, true);
    const outcome = await statusFromPage(page);
    expect(outcome.ok).toBe(true);
    const result = (outcome as { ok: true; result: Record<string, unknown> }).result as {
      readers: Array<{ name: string; card?: { type: string } }>;
      extensionVersion: string;
      pcsc: unknown;
    };
    expect(result.pcsc).toEqual({ available: true });
    expect(result.readers.find((r) => r.name === lab.slot(0).reader)?.card?.type).toBe('nhi');
    expect(result.extensionVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses a page outside the allow-list, even when the page claims an allowed origin', async () => {
    session = await launchChromium({ env: lab.env });
    const page = await openSite(session, false);
    expect(await statusFromPage(page)).toEqual({ ok: false, code: 'ERR_ORIGIN_NOT_ALLOWED' });
    expect(await statusFromPage(page, { origin: 'https://eservice.nhi.gov.tw' })).toEqual({
      ok: false,
      code: 'ERR_ORIGIN_NOT_ALLOWED',
    });
  });

  it('says the host is not installed when no host manifest is registered', async () => {
    session = await launchChromium({ env: lab.env, registerHost: false });
    const page = await openSite(session, true);
    expect(await statusFromPage(page)).toEqual({ ok: false, code: 'ERR_HOST_NOT_INSTALLED' });
  });

  it("gives the page the code and the message in the clerk's UI language", async () => {
    session = await launchChromium({ env: lab.env, registerHost: false });
    const page = await openSite(session, true);
    const refusal = () =>
      page.evaluate(async () => {
        try {
          await (globalThis as unknown as PageGlobals).CardBridgePage.createCardBridge().request('status');
          return undefined;
        } catch (error) {
          return { code: (error as { code: string }).code, message: (error as Error).message };
        }
      });
    const setLanguage = (language: string) =>
      session!.worker.evaluate(async (lang) => {
        await (globalThis as unknown as PageGlobals).chrome.storage.local.set({ language: lang });
      }, language);
    await setLanguage('zh_TW');
    expect(await refusal()).toEqual({
      code: 'ERR_HOST_NOT_INSTALLED',
      message: ERROR_MESSAGES.ERR_HOST_NOT_INSTALLED['zh-TW'],
    });
    await setLanguage('en');
    expect(await refusal()).toEqual({
      code: 'ERR_HOST_NOT_INSTALLED',
      message: ERROR_MESSAGES.ERR_HOST_NOT_INSTALLED.en,
    });
  });

  it('tells a page that the extension is unavailable when it is not installed', async () => {
    // A browser without the extension: nothing acknowledges the request within a second.
    const puppeteer = (await import('puppeteer-core')).default;
    const bare = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
      ],
    });
    try {
      const page = await bare.newPage();
      await page.goto(site.url);
      expect(await statusFromPage(page)).toEqual({ ok: false, code: 'ERR_EXTENSION_UNAVAILABLE' });
    } finally {
      await bare.close();
    }
  });
});
