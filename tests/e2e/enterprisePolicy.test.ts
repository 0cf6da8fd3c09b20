/**
 * The generated enterprise policy files (installers/enterprise) read by real browsers: Chromium
 * from /etc/chromium/policies/managed (root only, as in extensionPages.test.ts), Firefox from the
 * distribution/policies.json beside a Firefox of this test's own (helpers/firefoxWithPolicies).
 * Each hands the extension its managed settings; Firefox then lets in an origin only the policy
 * allows. The force-install parts name an update address that does not answer here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPolicyJson } from '../../installers/enterprise/chromiumPolicy.ts';
import type { Deployment } from '../../installers/enterprise/deployment.ts';
import { firefoxPolicies } from '../../installers/enterprise/firefoxPolicy.ts';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { CHROMIUM, EXTENSION_DIR, launchChromium } from './helpers/chromium.ts';
import { launchFirefox } from './helpers/firefox.ts';
import { firefoxWithPolicies } from './helpers/firefoxWithPolicies.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const POLICY_FILE = '/etc/chromium/policies/managed/cardbridge-enterprise-e2e-test.json';
const isRoot = process.getuid?.() === 0;
const POLICY_HOST = 'policy-only.example.test';

let lab: Lab;
let site: TestSite;
let deployment: Deployment;

beforeAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
  site = await startTestSite({ httpsHostname: POLICY_HOST });
  deployment = {
    downloadBase: 'https://it.invalid/cardbridge',
    version: '0.1.0',
    settings: {
      allowedOrigins: [new URL(site.url).origin],
      portalAddress: 'https://portal.example.test',
      developmentMode: false,
    },
  };
}, 90_000);
afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await site?.close();
  await lab?.stop();
});

function writePolicy(policy: unknown): void {
  mkdirSync(path.dirname(POLICY_FILE), { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify(policy));
}

describe('Chromium reads the generated policy', () => {
  it.skipIf(!isRoot)('gives the extension the managed settings', async () => {
    // Only the settings part: with the force-install part Chromium would refuse the test's own copy.
    const { '3rdparty': settings } = chromiumPolicyJson(deployment);
    writePolicy({ '3rdparty': settings });
    const session = await launchChromium({ env: lab.env });
    try {
      const managed = () =>
        session.worker.evaluate(() =>
          (
            globalThis as unknown as {
              chrome: { storage: { managed: { get(k: null): Promise<Record<string, unknown>> } } };
            }
          ).chrome.storage.managed.get(null),
        );
      // Chromium loads policy shortly after start-up.
      const deadline = Date.now() + 20_000;
      let seen = await managed();
      while (!('portalAddress' in seen) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        seen = await managed();
      }
      expect(seen).toEqual(deployment.settings);
    } finally {
      await session.close();
      rmSync(POLICY_FILE, { force: true });
    }
  });

  it.skipIf(!isRoot)(
    'applies the force-install settings to the extension id: no other copy of it may be loaded',
    async () => {
      // The real install from update.xml needs a .crx signed with the organisation's key (not here);
      // what Chromium shows is that the generated ExtensionSettings are in force for this id.
      writePolicy(chromiumPolicyJson(deployment));
      const profile = mkdtempSync(path.join(tmpdir(), 'cardbridge-chromium-policy-'));
      const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        pipe: true,
        userDataDir: profile,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
      });
      try {
        await expect(browser.installExtension(EXTENSION_DIR)).rejects.toThrow(/blocked by the administrator/);
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
        rmSync(POLICY_FILE, { force: true });
      }
    },
  );
});

describe('Firefox reads the generated policies.json', () => {
  it('lets in an https origin that only the policy allows', async () => {
    const app = firefoxWithPolicies(firefoxPolicies(deployment));
    const session = await launchFirefox({
      env: lab.env,
      mapHosts: [POLICY_HOST],
      executablePath: app.executablePath,
    });
    try {
      const page = await session.browser.newPage();
      let outcome: string | undefined;
      // The content script arrives a moment after the add-on is installed.
      for (let attempt = 0; attempt < 10; attempt++) {
        await page.goto(site.url);
        outcome = await statusOutcome(page);
        if (outcome !== 'ERR_EXTENSION_UNAVAILABLE') break;
      }
      expect(outcome).toBe('ok');
    } finally {
      await session.close();
      app.remove();
    }
  });
});

function statusOutcome(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const lib = (
      globalThis as unknown as {
        CardBridgePage: { createCardBridge(): { request(action: string): Promise<unknown> } };
      }
    ).CardBridgePage;
    try {
      await lib.createCardBridge().request('status');
      return 'ok';
    } catch (error) {
      return (error as { code: string }).code;
    }
  });
}
