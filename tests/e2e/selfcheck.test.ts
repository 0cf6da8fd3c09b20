/**
 * The self-check page in Chromium with the real host and pcscd: host missing, service stopped, no
 * card, NHI card (holder masked until revealed), live insert and remove. Screenshots of both
 * languages are kept in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { DEMO_NHI_CARD, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki, TEST_IDENTITIES } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const SELFCHECK = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/selfcheck/index.html`;

let lab: Lab;
let session: ChromiumSession | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await Lab.start();
});
afterAll(async () => {
  await lab?.stop();
});
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function setLanguage(s: ChromiumSession, language: 'zh_TW' | 'en'): Promise<void> {
  await s.worker.evaluate(async (lang) => {
    const g = globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } };
    await g.chrome.storage.local.set({ language: lang });
  }, language);
}

async function openSelfCheck(s: ChromiumSession): Promise<Page> {
  const page = await s.browser.newPage();
  await page.goto(SELFCHECK);
  await page.waitForSelector('[data-overall]', { timeout: 15_000 });
  return page;
}

const overall = (page: Page) => page.$eval('[data-overall]', (e) => e.getAttribute('data-overall'));
const level = (page: Page, id: string) =>
  page.$eval(`[data-check="${id}"]`, (e) => e.getAttribute('data-level')).catch(() => undefined);
const text = (page: Page) => page.$eval('main', (e) => (e as unknown as { innerText: string }).innerText);

describe('self-check page', () => {
  it('explains that the host is missing, with the fix for this OS', async () => {
    session = await launchChromium({ env: lab.env, registerHost: false });
    await setLanguage(session, 'en');
    const page = await openSelfCheck(session);
    expect(await overall(page)).toBe('error');
    expect(await level(page, 'host')).toBe('error');
    const body = await text(page);
    expect(body).toContain('The CardBridge component is not installed on this computer.');
    // The fix names this version's package for Linux (installers/README.md).
    expect(body).toMatch(/sudo apt install \.\/cardbridge-host_[\d.]+-1_amd64\.deb/);
    expect(body).toContain('Snap');
  });

  it('shows the service stopped, then a reader without a card, then the NHI card live, masked until revealed', async () => {
    await lab.pcscd.stop();
    session = await launchChromium({ env: lab.env });
    await setLanguage(session, 'en');
    const page = await openSelfCheck(session);
    expect(await level(page, 'pcsc')).toBe('error');
    expect(await text(page)).toContain('The smart-card service is not running.');

    await lab.pcscd.start();
    const reader = lab.slot(0).reader;
    await page.waitForSelector(`[data-check="reader:${reader}"]`, { timeout: 10_000 });
    expect(await level(page, `reader:${reader}`)).toBe('warning');

    const card = lab.card(new NhiCardApplet(), lab.slot(0));
    await card.insert();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-check="${id}"]`)?.getAttribute('data-level') === 'ok',
      { timeout: 5_000 },
      `reader:${reader}`,
    );
    // Live: the page updated on its own, without a click or a reload (latency is the bench's job).
    expect(await text(page)).toContain('NHI card');

    await page.click(`[data-check="reader:${reader}"] button`);
    await page.waitForFunction(() => document.body.innerText.includes('Holder'));
    let body = await text(page);
    expect(body).not.toContain(DEMO_NHI_CARD.name);
    expect(body).not.toContain(DEMO_NHI_CARD.idNumber);
    expect(body).toContain('A1234*****');
    await page.screenshot({ path: path.join(ARTIFACTS, 'selfcheck-en.png'), fullPage: true });

    await page.click(`[data-check="reader:${reader}"] button[aria-pressed]`);
    body = await text(page);
    expect(body).toContain(DEMO_NHI_CARD.name);
    expect(body).toContain(DEMO_NHI_CARD.idNumber);

    await card.remove();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-check="${id}"]`)?.getAttribute('data-level') === 'warning',
      { timeout: 5_000 },
      `reader:${reader}`,
    );
  });

  it('speaks Traditional Chinese by default', async () => {
    const card = lab.card(new NhiCardApplet(), lab.slot(0));
    await card.insert();
    session = await launchChromium({ env: lab.env });
    await setLanguage(session, 'zh_TW');
    const page = await openSelfCheck(session);
    await page.waitForFunction(() => document.body.innerText.includes('健保卡'), { timeout: 10_000 });
    expect(await text(page)).toContain('卡橋環境檢查');
    expect(await page.$eval('html', (e) => e.getAttribute('lang'))).toBe('zh-Hant-TW');
    await page.screenshot({ path: path.join(ARTIFACTS, 'selfcheck-zh-TW.png'), fullPage: true });
    await card.remove();
  });

  it('shows certificates by holder and issuer: usable ones ✔, the others marked and explained, and where to apply', async () => {
    const pki = await createTestPki();
    // The citizen's token (signing, encryption-only, EC) and the broken cases (expired, not yet
    // valid, revoked, foreign); no unit certificate, so the self-check says where to apply for one.
    const hsm = SoftHsmLab.create(pki, [LAB_TOKENS[0]!, LAB_TOKENS[4]!]);
    try {
      session = await launchChromium({
        env: { ...lab.env, ...hsm.env, CARDBRIDGE_PKCS11_MODULES: hsm.module },
      });
      await setLanguage(session, 'zh_TW');
      const page = await openSelfCheck(session);
      await page.waitForSelector('[data-check^="certificate:"]', { timeout: 20_000 });
      const items = await page.$$eval('[data-check^="certificate:"]', (list) =>
        list.map((e) => ({
          level: e.getAttribute('data-level'),
          mark: e.querySelector('.mark')?.textContent ?? '',
          text: (e as unknown as { innerText: string }).innerText,
        })),
      );
      const citizen = `${TEST_IDENTITIES.citizen.name} · 內政部憑證管理中心 (MOICA)`;
      expect(items.some((i) => i.level === 'ok' && i.text.includes(citizen))).toBe(true);
      expect(items.some((i) => i.level === 'error' && i.text.includes('已過期'))).toBe(true);
      expect(items.some((i) => i.level === 'info' && i.text.includes('不能用於登入'))).toBe(true);
      for (const item of items) {
        // Never a family code with a number, never an empty name between the dots.
        expect(item.text).not.toMatch(/·\s*·|\bMOICA \d|^\s*✔?\s*Other certificate/);
        // A ✔ only beside a certificate that can log in.
        if (item.mark === '✔') expect(item.text).toContain('可用於登入');
        else expect(item.text).not.toContain('可用於登入');
      }
      const apply = await page.$eval(
        '[data-check="apply:unit"]',
        (e) => (e as unknown as { innerText: string }).innerText,
      );
      for (const site of ['moeaca.nat.gov.tw', 'gca.nat.gov.tw', 'xca.nat.gov.tw'])
        expect(apply).toContain(site);
      expect(await page.$('[data-check="apply:person"]')).toBeNull();
      const browserLine = await page.$eval(
        '[data-check="browser"]',
        (e) => (e as unknown as { innerText: string }).innerText,
      );
      expect(browserLine).toMatch(/Chrome 116 以上.*Edge 116 以上.*Firefox 140 以上/);
    } finally {
      hsm.dispose();
    }
  }, 120_000);
});
