/**
 * The README's pictures, in zh-TW, made with headless Chromium through the real extension, host,
 * pcscd (virtual NHI card) and SoftHSM (the test PKI's citizen and company tokens): the prompt for
 * each task, the consent step and the self-check. `npm run screenshots` writes them to
 * docs/screenshots/; a plain test run writes them to test-artifacts/screenshots/ and checks that each
 * prompt says its task.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import zh from '../../extension/public/_locales/zh_TW/messages.json' with { type: 'json' };
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { PromptDriver } from './helpers/promptDriver.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT =
  process.env.CARDBRIDGE_SCREENSHOTS === 'docs'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, 'test-artifacts', 'screenshots');
const SELFCHECK = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/selfcheck/index.html`;
const NHI_HOST = 'eservice.nhi.gov.tw';
/** A portal nonce: 32 bytes, base64. */
const NONCE = Buffer.alloc(32, 7).toString('base64');

let lab: Lab;
let hsm: SoftHsmLab;
let site: TestSite;
let session: ChromiumSession;
let prompts: PromptDriver;
let selfcheck: Page;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  hsm = SoftHsmLab.create(await createTestPki(), [LAB_TOKENS[0]!, LAB_TOKENS[1]!]);
  // The consent step as on NHI's own site: its name mapped to this machine, its test certificate accepted.
  site = await startTestSite({ httpsHostname: NHI_HOST });
  session = await launchChromium({
    env: { ...lab.env, ...hsm.env, CARDBRIDGE_PKCS11_MODULES: hsm.module },
    args: [`--host-resolver-rules=MAP ${NHI_HOST} 127.0.0.1`, '--ignore-certificate-errors'],
  });
  await session.worker.evaluate(async () => {
    const g = globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } };
    await g.chrome.storage.local.set({ language: 'zh_TW' });
  });
  prompts = new PromptDriver(session.browser);
  selfcheck = await session.browser.newPage();
  await selfcheck.setViewport({ width: 900, height: 800 });
  await selfcheck.goto(SELFCHECK);
  await selfcheck.waitForSelector('[data-check^="certificate:"]', { timeout: 30_000 });
}, 120_000);
afterAll(async () => {
  await session?.close();
  await site?.close();
  hsm?.dispose();
  await lab?.stop();
});

const shot = async (page: Page, name: string) => {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(statSync(file).size).toBeGreaterThan(10_000);
};

/** Asks for a portal card operation from an extension page, as the bundled portal pages do. */
function ask(request: Record<string, unknown>): Promise<void> {
  return selfcheck.evaluate((r) => {
    const g = globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } };
    // Not awaited: it settles when the prompt is answered.
    void g.chrome.runtime.sendMessage({ type: 'cardbridge/ui', ...r }).catch(() => undefined);
  }, request);
}

/** Photographs the next prompt, checks its title, and cancels it. */
async function photographPrompt(name: string, title: string): Promise<Page> {
  const prompt = await prompts.next();
  await prompt.setViewport({ width: 520, height: 680 });
  expect(await prompt.$eval('[data-title]', (e) => e.textContent)).toBe(title);
  await shot(prompt, name);
  void prompt.click('button.secondary').catch(() => undefined);
  return prompt;
}

describe('README screenshots (zh-TW)', () => {
  it('the self-check', async () => {
    await shot(selfcheck, 'selfcheck-zh-TW');
  });

  it.each([
    ['register', 'prompt-register-zh-TW', zh.promptTaskTitle_register.message],
    ['unit-login', 'prompt-unit-login-zh-TW', zh.promptTaskTitle_unit_login.message],
    ['clerk-login', 'prompt-clerk-login-zh-TW', zh.promptTaskTitle_clerk_login.message],
    ['cancel', 'prompt-cancel-zh-TW', zh.promptTaskTitle_cancel.message],
  ])('the prompt for %s', async (purpose, name, title) => {
    await ask({ command: 'portal-authenticate', nonce: NONCE, purpose });
    await photographPrompt(name, title);
  });

  it('the prompt for setting the NHI card password', async () => {
    await ask({ command: 'portal-nhi-authenticate', nonce: NONCE, purpose: 'set-password' });
    await photographPrompt('prompt-set-password-zh-TW', zh.promptTaskTitle_set_password.message);
  });

  it("the prompt for giving a clerk's certificate to the unit", async () => {
    await ask({ command: 'portal-choose-certificate' });
    await photographPrompt('prompt-clerk-assign-zh-TW', zh.promptTitle_choose_certificate.message);
  });

  it('the consent step before a site reads the NHI card', async () => {
    const page = await session.browser.newPage();
    await page.goto(site.url);
    void page
      .evaluate(() => {
        const lib = (
          globalThis as unknown as {
            CardBridgePage: { createCardBridge(): { request(a: string): Promise<unknown> } };
          }
        ).CardBridgePage;
        return lib.createCardBridge().request('read-nhi-card');
      })
      .catch(() => undefined);
    const prompt = await photographPrompt('prompt-consent-zh-TW', zh.promptTitle_read_nhi_card.message);
    expect(await prompt.$('[data-consent]')).toBeDefined();
    await page.close();
  });
});
