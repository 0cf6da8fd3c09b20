/**
 * Firefox: the page API end to end (BiDi cannot open moz-extension pages, so the extension's own
 * pages are tested in Chromium). The page is served as https://eservice.nhi.gov.tw (mapped to this
 * machine), so the default allow-list is what lets it in.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { launchFirefox, type FirefoxSession } from './helpers/firefox.ts';
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
