/**
 * The prompt window in Chromium: a page asks to log in, the clerk picks the certificate and types the
 * PIN in the prompt (never in the page), the page gets a web-eid token that the shared verifier
 * accepts. Wrong PIN, cancel, and NHI-card consent too. Screenshots of the prompt in both languages.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, Target } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuthToken } from '../../shared/node/authtoken/verifyAuthToken.ts';
import { verifyCms } from '../../shared/node/cms/verifyCms.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { DEMO_NHI_CARD, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki, TEST_IDENTITIES, type TestPki } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { axeViolations } from './helpers/axe.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { pageRequest } from './helpers/pageRequest.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const PIN = LAB_TOKENS[0]!.pin;

let lab: Lab;
let pki: TestPki;
let hsm: SoftHsmLab;
let site: TestSite;
let session: ChromiumSession | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  pki = await createTestPki();
  hsm = SoftHsmLab.create(pki, [LAB_TOKENS[0]!]);
  site = await startTestSite();
}, 90_000);
afterAll(async () => {
  await site?.close();
  hsm?.dispose();
  await lab?.stop();
});
afterEach(async () => {
  await session?.close();
  session = undefined;
});

interface PageGlobals {
  CardBridgePage: { createCardBridge(): { request(action: string, payload?: unknown): Promise<unknown> } };
  chrome: { storage: { local: { set(v: object): Promise<void> } } };
}

async function start(language: 'zh_TW' | 'en' = 'en'): Promise<{ page: Page; s: ChromiumSession }> {
  // The host checks origins too: a development origin must be configured there as well.
  const s = await launchChromium({
    env: {
      ...lab.env,
      ...hsm.env,
      CARDBRIDGE_PKCS11_MODULES: hsm.module,
      CARDBRIDGE_DEV_ORIGINS: new URL(site.url).origin,
    },
  });
  await s.worker.evaluate(async (lang) => {
    await (globalThis as unknown as PageGlobals).chrome.storage.local.set({
      developmentMode: true,
      language: lang,
    });
  }, language);
  const page = await s.browser.newPage();
  await page.goto(site.url);
  session = s;
  return { page, s };
}

/** Starts a page request without waiting for it (the prompt must be answered first). */
const call = pageRequest;

async function promptWindow(s: ChromiumSession): Promise<Page> {
  const target = await s.browser.waitForTarget(
    (t: Target) => t.url().startsWith(`chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/prompt/`),
    { timeout: 15_000 },
  );
  const prompt = (await target.page())!;
  await prompt.waitForSelector('[data-origin]');
  return prompt;
}

describe('prompt window', () => {
  it('logs in: origin shown, PIN typed only in the prompt, token verified by the shared verifier', async () => {
    const { page, s } = await start();
    const nonce = randomBytes(32).toString('base64');
    const pending = call(page, 'authenticate', { challengeNonce: nonce });
    const prompt = await promptWindow(s);
    expect(await prompt.$eval('[data-origin]', (e) => e.textContent)).toBe(new URL(site.url).origin);
    const labels = await prompt.$$eval('label.certificate', (ls) => ls.map((l) => l.textContent ?? ''));
    // Only certificates whose private key can sign are offered: the encryption-only one is not.
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((l) => l.includes('cannot be used to log in'))).toEqual([]);
    await prompt.screenshot({ path: path.join(ARTIFACTS, 'prompt-en.png'), fullPage: true });
    expect(await axeViolations(prompt)).toEqual([]);

    // A wrong PIN keeps the window open and says so; the field is cleared.
    await prompt.type('#pin', '000000');
    await prompt.click('button[type="submit"]');
    await prompt.waitForSelector('[role="alert"]');
    expect(await prompt.$eval('[role="alert"]', (e) => e.textContent)).toContain('Wrong PIN');
    expect(await prompt.$eval('#pin', (e) => (e as unknown as { value: string }).value)).toBe('');

    // Choose the RSA signature certificate explicitly (the token lists its objects in any order).
    await prompt.$$eval('label.certificate', (labels) => {
      const wanted = labels.find(
        (l) => /王大明 TEST ·/.test(l.textContent ?? '') && !/cannot/.test(l.textContent ?? ''),
      );
      (wanted?.querySelector('input') as unknown as { click(): void } | undefined)?.click();
    });
    await prompt.type('#pin', PIN);
    // The window closes as the click is handled: do not wait for the click's own acknowledgement.
    void prompt.click('button[type="submit"]').catch(() => undefined);
    const outcome = await pending;
    expect(outcome.ok).toBe(true);
    const token = (outcome as { result: unknown }).result;
    const verified = await verifyAuthToken(token, {
      origin: new URL(site.url).origin,
      nonce,
      trust: new TrustStore(pki.trust),
    });
    expect(verified.info.subject.commonName).toBe(TEST_IDENTITIES.citizen.name);
    // The page never saw the PIN.
    expect(JSON.stringify(token)).not.toContain(PIN);
  });

  it('gives the page ERR_USER_CANCELLED when the clerk cancels', async () => {
    const { page, s } = await start();
    const pending = call(page, 'authenticate', { challengeNonce: randomBytes(32).toString('base64') });
    const prompt = await promptWindow(s);
    void prompt.click('button.secondary').catch(() => undefined);
    expect(await pending).toEqual({ ok: false, code: 'ERR_USER_CANCELLED' });
  });

  it('asks consent once per site before reading the NHI card', async () => {
    const { page, s } = await start('zh_TW');
    const first = call(page, 'read-nhi-card');
    const prompt = await promptWindow(s);
    await prompt.screenshot({ path: path.join(ARTIFACTS, 'prompt-zh-TW.png'), fullPage: true });
    // Privacy by default: "always allow this site" is unticked until the clerk ticks it.
    expect(await prompt.$eval('#remember', (e) => (e as unknown as { checked: boolean }).checked)).toBe(
      false,
    );
    await prompt.click('#remember');
    void prompt.click('button[type="submit"]').catch(() => undefined);
    const outcome = await first;
    expect(outcome).toMatchObject({ ok: true, result: { cardNumber: DEMO_NHI_CARD.cardNumber } });
    // Remembered: the second read needs no prompt.
    expect(await call(page, 'read-nhi-card')).toMatchObject({
      ok: true,
      result: { idNumber: DEMO_NHI_CARD.idNumber },
    });
  });

  it('signs a document: the digest is shown, the CMS verifies for that document', async () => {
    const { page, s } = await start();
    const document = Buffer.from('TEST 加保申報表 2026-11', 'utf8');
    const hash = createHash('sha256').update(document).digest();
    const pending = call(page, 'sign', {
      hash: hash.toString('base64'),
      hashFunction: 'SHA-256',
      format: 'cms',
      documentName: 'TEST 加保申報表.pdf',
    });
    const prompt = await promptWindow(s);
    const shown = await prompt.$eval('main', (e) => e.textContent ?? '');
    expect(shown).toContain(hash.toString('hex'));
    expect(shown).toContain('TEST 加保申報表.pdf');
    await prompt.type('#pin', PIN);
    void prompt.click('button[type="submit"]').catch(() => undefined);
    const outcome = await pending;
    expect(outcome.ok).toBe(true);
    const cms = Buffer.from((outcome as { result: { cms: string } }).result.cms, 'base64');
    expect(verifyCms(cms, { content: document, trust: new TrustStore(pki.trust) }).info.family).toBe('MOICA');
  });

  it('lists the certificates for a page after the clerk agrees, public parts only, once per site', async () => {
    const { page, s } = await start();
    const first = call(page, 'get-certificates');
    const prompt = await promptWindow(s);
    expect(await prompt.$eval('[data-origin]', (e) => e.textContent)).toBe(new URL(site.url).origin);
    // No PIN is asked to list certificates.
    expect(await prompt.$('#pin')).toBeNull();
    expect(await axeViolations(prompt)).toEqual([]);
    await prompt.click('#remember');
    void prompt.click('button[type="submit"]').catch(() => undefined);
    const outcome = await first;
    expect(outcome.ok).toBe(true);
    const { certificates } = (outcome as { result: { certificates: Array<Record<string, unknown>> } }).result;
    expect(certificates.length).toBeGreaterThan(0);
    const names = certificates.map((c) => (c.subject as { commonName: string }).commonName);
    expect(names).toContain(TEST_IDENTITIES.citizen.name);
    for (const c of certificates) {
      expect(Object.keys(c).sort()).toEqual(
        ['certificate', 'family', 'issuer', 'keyUsage', 'notAfter', 'notBefore', 'subject'].sort(),
      );
    }
    // Remembered for this site: the second call opens no prompt.
    expect(await call(page, 'get-certificates')).toEqual(outcome);
  });
});
