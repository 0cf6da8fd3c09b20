/**
 * The Linux packages built from the host binary: the .rpm inspected (installing an rpm on this
 * Debian machine would prove nothing about Fedora), the .deb checked by lintian, installed with
 * dpkg, used by Chromium and Firefox through the system-wide registration only (their profiles
 * carry no host manifest), then purged, leaving the folders as they were.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from '../../../installers/linux/debPackage.ts';
import { INSTALLED_HOST, PACKAGE_NAME } from '../../../installers/linux/packageInfo.ts';
import { buildRpm, RPM_REQUIRES } from '../../../installers/linux/rpmPackage.ts';
import { NhiCardApplet } from '../../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../../lab/lab.ts';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';
import { launchChromium } from '../../e2e/helpers/chromium.ts';
import { launchFirefox } from '../../e2e/helpers/firefox.ts';
import { startTestSite } from '../../e2e/helpers/testSite.ts';
import { HOST_BIN } from '../helpers/hostProcess.ts';

const isRoot = process.getuid?.() === 0;
const SLOW = 600_000;
/** Where the package writes: each browser's system folder and the host's own. */
const SYSTEM_MANIFESTS = {
  chrome: `/etc/opt/chrome/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  edge: `/etc/opt/edge/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  chromium: `/etc/chromium/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  firefox: `/usr/lib/mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
};
const WATCHED = [
  '/etc/opt',
  '/etc/chromium/native-messaging-hosts',
  '/usr/lib/mozilla',
  '/usr/lib/cardbridge',
];

let out: string;
let deb: string;
let rpm: string;

/** Every path under the watched folders: what "removal leaves nothing" is compared against. */
function snapshot(): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    found.push(p);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  WATCHED.forEach(walk);
  return found.sort();
}

/** dpkg with the lock another process (apt on a shared machine) may hold for a while. */
function dpkg(args: string[]): string {
  for (let attempt = 0; ; attempt++) {
    const run = spawnSync('dpkg', args, { encoding: 'utf8' });
    if (run.status === 0) return run.stdout;
    if (!/lock/i.test(run.stderr) || attempt >= 60) {
      throw new Error(`dpkg ${args.join(' ')}: exit ${run.status}\n${run.stdout}${run.stderr}`);
    }
    execFileSync('sleep', ['5']);
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'cardbridge-packages-'));
  const input = { host: HOST_BIN, version: '0.1.0', outDir: out, sourceDateEpoch: 1_767_225_600 };
  deb = buildDeb(input);
  rpm = buildRpm(input);
}, SLOW);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the .rpm', () => {
  const rpmQuery = (...args: string[]) =>
    execFileSync('rpm', ['-qp', ...args, rpm], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

  it('holds only the host, unstripped, and requires pcscd and libpcsclite', () => {
    expect(rpmQuery('-l').trim().split('\n')).toEqual(['/usr/lib/cardbridge', INSTALLED_HOST]);
    // --dump: path size mtime sha256 mode …: the packed host is byte for byte the built one.
    const hostLine = rpmQuery('--dump')
      .split('\n')
      .find((l) => l.startsWith(`${INSTALLED_HOST} `))!
      .split(' ');
    expect(hostLine[3]).toBe(sha256(HOST_BIN));
    expect(hostLine[4]).toBe('0100755');
    const requires = rpmQuery('--requires').split('\n');
    for (const r of RPM_REQUIRES) expect(requires).toContain(r);
  });

  it('registers the host after install and removes the registration only on erase', () => {
    const scripts = rpmQuery('--scripts');
    expect(scripts).toMatch(/postinstall scriptlet[^\n]*\n[^\n]*cardbridge-host install --scope system/);
    expect(scripts).toMatch(
      /preuninstall scriptlet[\s\S]*"\$1" = 0[\s\S]*cardbridge-host uninstall --scope system/,
    );
  });
});

describe('the .deb', () => {
  it(
    'is lintian clean',
    () => {
      const run = spawnSync('lintian', ['--fail-on', 'error,warning', deb], { encoding: 'utf8' });
      expect(run.stdout.trim()).toBe('');
      expect(run.status).toBe(0);
    },
    SLOW,
  );

  it.skipIf(!isRoot)(
    'installs system-wide, serves Chromium and Firefox through the system registration, and purges to nothing',
    async () => {
      if (spawnSync('dpkg', ['-s', PACKAGE_NAME]).status === 0) dpkg(['--purge', PACKAGE_NAME]);
      const before = snapshot();
      dpkg(['-i', deb]);
      const lab = await Lab.start();
      try {
        for (const [browser, file] of Object.entries(SYSTEM_MANIFESTS)) {
          const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
          expect(manifest.path, browser).toBe(INSTALLED_HOST);
          expect(manifest).toMatchObject(
            browser === 'firefox'
              ? { allowed_extensions: [EXTENSION_IDS.firefox] }
              : { allowed_origins: [`chrome-extension://${EXTENSION_IDS.chromium}/`] },
          );
        }
        const status = spawnSync(
          INSTALLED_HOST,
          ['status', '--scope', 'system', '--browser', 'chrome,edge,chromium,firefox', '--json'],
          { encoding: 'utf8' },
        );
        expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, hostPath: INSTALLED_HOST });

        await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
        expect(await chromiumSeesCard(lab)).toBe('nhi');
        expect(await firefoxSeesCard(lab)).toBe('nhi');
      } finally {
        await lab.stop();
        dpkg(['--purge', PACKAGE_NAME]);
      }
      expect(snapshot()).toEqual(before);
    },
    SLOW,
  );
});

/** What the page library's status() says about the lab's first reader, from a page. */
function cardTypeFromPage(page: Page, reader: string): Promise<string | undefined> {
  return page.evaluate(async (name) => {
    const lib = (
      globalThis as unknown as {
        CardBridgePage: { createCardBridge(): { request(action: string): Promise<unknown> } };
      }
    ).CardBridgePage;
    try {
      const result = (await lib.createCardBridge().request('status')) as {
        readers: Array<{ name: string; card?: { type: string } }>;
      };
      return result.readers.find((r) => r.name === name)?.card?.type;
    } catch (error) {
      return (error as { code: string }).code;
    }
  }, reader);
}

async function chromiumSeesCard(lab: Lab): Promise<string | undefined> {
  const site = await startTestSite();
  const session = await launchChromium({ env: lab.env, registerHost: false });
  try {
    // A 127.0.0.1 page is allowed in development mode only.
    await session.worker.evaluate(async () => {
      await (
        globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }
      ).chrome.storage.local.set({ developmentMode: true });
    });
    const page = await session.browser.newPage();
    await page.goto(site.url);
    return await cardTypeFromPage(page, lab.slot(0).reader);
  } finally {
    await session.close();
    await site.close();
  }
}

async function firefoxSeesCard(lab: Lab): Promise<string | undefined> {
  const nhiHost = 'eservice.nhi.gov.tw';
  const site = await startTestSite({ httpsHostname: nhiHost });
  const session = await launchFirefox({ env: lab.env, mapHosts: [nhiHost], registerHost: false });
  try {
    const page = await session.browser.newPage();
    // The content script arrives a moment after the add-on is installed.
    let seen: string | undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      await page.goto(site.url);
      seen = await cardTypeFromPage(page, lab.slot(0).reader);
      if (seen !== 'ERR_EXTENSION_UNAVAILABLE') break;
    }
    return seen;
  } finally {
    await session.close();
    await site.close();
  }
}
