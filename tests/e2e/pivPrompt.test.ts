/**
 * The prompt with a real card stack in Chromium: a page asks to sign, the clerk types PINs in the
 * prompt, the built host signs through OpenSC's opensc-pkcs11.so with the lab's PIV card, which
 * counts the PIN itself. The prompt says each state plainly: wrong PIN, final try, and a locked
 * card, where the page is answered at once and the window stays open until the clerk closes it.
 */
import { createHash } from 'node:crypto';
import type { Page, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import {
  LAB_PIV_WRONG_PINS,
  OPENSC_MODULE,
  PivCardApplet,
  requireOpenSc,
} from '../../lab/cards/pivCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki, type TestPki } from '../../lab/pki/testPki.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { pageRequest } from './helpers/pageRequest.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const WRONG_PINS = LAB_PIV_WRONG_PINS;

let lab: Lab;
let pki: TestPki;
let applet: PivCardApplet;
let site: TestSite;
let session: ChromiumSession | undefined;

interface WorkerGlobals {
  chrome: { storage: { local: { set(v: object): Promise<void> } } };
}

/** Types a PIN and approves; resolves with the new alert the prompt then shows. */
async function tryPin(prompt: Page, pin: string): Promise<string> {
  const before = applet.counters.pinVerifications;
  const shown = await prompt.$eval('[role="alert"]', (e) => e.textContent ?? '').catch(() => '');
  await prompt.type('#pin', pin);
  await prompt.click('button[type="submit"]');
  // Each outcome says something else than the one before it.
  await prompt.waitForFunction(
    (previous) => {
      const alert = document.querySelector('[role="alert"]');
      return alert !== null && alert.textContent !== previous;
    },
    {},
    shown,
  );
  expect(applet.counters.pinVerifications - before, 'one VERIFY per try').toBe(1);
  return prompt.$eval('[role="alert"]', (e) => e.textContent ?? '');
}

describe('the prompt with a PIV card behind OpenSC', () => {
  beforeAll(async () => {
    requireOpenSc();
    lab = await Lab.start();
    pki = await createTestPki();
    applet = new PivCardApplet({
      certificate: pki.leaves.citizenSign.certificate,
      privateKey: pki.leaves.citizenSign.privateKey,
    });
    await lab.card(applet, lab.slot(0)).insert();
    site = await startTestSite();
    session = await launchChromium({
      env: {
        ...lab.env,
        CARDBRIDGE_PKCS11_MODULES: OPENSC_MODULE,
        CARDBRIDGE_PKCS12_FILES: '',
        CARDBRIDGE_DEV_ORIGINS: new URL(site.url).origin,
      },
    });
    await session.worker.evaluate(async () => {
      await (globalThis as unknown as WorkerGlobals).chrome.storage.local.set({
        developmentMode: true,
        language: 'en',
      });
    });
  }, 90_000);
  afterAll(async () => {
    await session?.close();
    await site?.close();
    await lab?.stop();
  });

  it('says wrong PIN, then final try, then locked; the page gets ERR_PIN_LOCKED; the window stays until closed', async () => {
    const page = await session!.browser.newPage();
    await page.goto(site.url);
    const pending = pageRequest(page, 'sign', {
      hash: createHash('sha256').update('TEST PIV 申報').digest('base64'),
      hashFunction: 'SHA-256',
      format: 'cms',
      documentName: 'TEST PIV.pdf',
    });
    const target = await session!.browser.waitForTarget(
      (t: Target) =>
        t.url().startsWith(`chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/prompt/`),
      { timeout: 30_000 },
    );
    const prompt = (await target.page())!;
    await prompt.waitForSelector('#pin');
    const labels = await prompt.$$eval('label.certificate', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(labels.join('|')).toContain('王大明 TEST');

    expect(await tryPin(prompt, WRONG_PINS[0]!)).toMatch(/^Wrong PIN\. Please try again\.$/);
    expect(applet.pinTriesRemaining).toBe(2);
    expect(await tryPin(prompt, WRONG_PINS[1]!)).toContain('1 try left; one more wrong PIN locks the card');
    expect(applet.pinTriesRemaining).toBe(1);

    const locked = await tryPin(prompt, WRONG_PINS[2]!);
    expect(locked).toContain('the card now refuses every PIN');
    expect(applet.pinTriesRemaining).toBe(0);
    // The page has its answer at once, while the window still says why.
    expect(await pending).toEqual({ ok: false, code: 'ERR_PIN_LOCKED' });
    expect(await prompt.$('#pin')).toBeNull();
    expect(prompt.isClosed()).toBe(false);
    expect(await prompt.$eval('[data-pin-locked] h1', (e) => e.textContent)).toBe("The card's PIN is locked");

    // The clerk closes it.
    const closed = new Promise<void>((resolve) => prompt.once('close', () => resolve()));
    void prompt.click('[data-close]').catch(() => undefined);
    await closed;
    expect(applet.counters.signatures).toBe(0);
  });
});
