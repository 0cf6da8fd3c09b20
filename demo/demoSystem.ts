/**
 * The whole local system for `npm start`: the reference portal (SQLite under var/, file outbox), the
 * lab's virtual NHI card and SoftHSM tokens (or PKCS#12 files) when this machine has no reader, the
 * host registered for this user's browsers, and Chromium with the extension when a display exists.
 * Prints the demo identities and PINs. Ctrl-C, SIGTERM, SIGHUP, the portal or Chromium ending, or an
 * error stop exactly what it started and remove the registrations it wrote.
 *
 * Usage: tsx demo/demoSystem.ts [--no-browser] [--lang zh_TW|en] [--lab-cards | --reader-cards]
 * Environment: PORTAL_PORT (8780), DATABASE_URL (else SQLite under var/), CARDBRIDGE_VAR_DIR (var/),
 * CARDBRIDGE_DEMO_CARDS (lab | readers; default: this computer's readers when it has some).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { TargetType } from 'puppeteer-core';
import {
  BROWSERS,
  chromiumProfileTarget,
  currentHostOs,
  installHost,
  registrationContext,
  registrationEnvFrom,
  resolveTargets,
  uninstallHost,
  type HostManifest,
  type RegistrationTarget,
} from '../installers/registration/index.ts';
import { EXTENSION_IDS } from '../shared/protocol/version.ts';
import { DEMO_NHI_CARD, LAB_SAM_MASTER_KEY, NhiCardApplet } from '../lab/cards/nhiCardApplet.ts';
import { Lab } from '../lab/lab.ts';
import { loadOrCreatePki, writeTrustDir } from '../lab/pki/pkiStore.ts';
import { startPortalServer } from '../lab/portalProcess.ts';
import { LAB_TOKENS, pkcs12Bytes, SoftHsmLab, softHsmPrerequisites } from '../lab/softhsm.ts';
import { demoBanner } from './banner.ts';
import { chooseCardSource } from './cardSource.ts';
import { DemoStoppedError, Teardown } from './teardown.ts';

const root = path.resolve(import.meta.dirname, '..');
/** Where the demo keeps its database, outbox and PKI (tests point it elsewhere). */
const varDir = process.env.CARDBRIDGE_VAR_DIR ?? path.join(root, 'var');
const demoDir = path.join(varDir, 'demo');
const HOST_BIN = path.join(root, 'dist/host/cardbridge-host');
const PORTAL_PORT = Number(process.env.PORTAL_PORT ?? 8780);
const PORTAL_ORIGIN = `http://127.0.0.1:${PORTAL_PORT}`;
const PKCS12_PASSWORD = '123456';

const args = process.argv.slice(2);
const withBrowser = !args.includes('--no-browser');
const zh = !args.includes('en');
const say = (zhText: string, enText: string) =>
  process.stdout.write(`[cardbridge] ${zh ? zhText : enText}\n`);

const teardown = new Teardown();
/** Tears down once, then exits; whatever asks later (a part ending because it was stopped) is ignored. */
async function stop(status: number): Promise<void> {
  if (teardown.begun) return;
  await teardown.run();
  process.exit(status);
}
let signals = 0;
/**
 * Ctrl-C in a terminal signals the whole process group (npm, start.mjs and this process), so a second
 * signal while cleaning up is expected and must not cut the cleanup short; only a third gives up.
 */
function onSignal(): void {
  signals++;
  if (signals >= 3) process.exit(130);
  void stop(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
function fail(error: unknown): void {
  if (error instanceof DemoStoppedError) return;
  process.stderr.write(`[cardbridge] ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

/** Does this machine have a working smart-card service with a reader? The host's doctor tells. */
function realReaderPresent(): boolean {
  const probe = spawnSync(HOST_BIN, ['doctor', '--json'], { encoding: 'utf8' });
  try {
    const report = JSON.parse(probe.stdout) as {
      status: { pcsc: { available: boolean }; readers: unknown[] };
    };
    return report.status.pcsc.available && report.status.readers.length > 0;
  } catch {
    return false;
  }
}

/** Marks the demo's own host registrations (replaced by the next demo, removed on Ctrl-C). */
const DEMO_DESCRIPTION = 'CardBridge host (npm start demo)';

/** Browsers start the host with their own environment: a wrapper adds the lab's. */
function writeHostWrapper(env: Record<string, string>): string {
  const wrapper = path.join(demoDir, 'cardbridge-host-demo');
  const quote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`);
  writeFileSync(wrapper, ['#!/bin/sh', ...exports, `exec ${quote(HOST_BIN)} "$@"`, ''].join('\n'));
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** This user's browsers and the demo's own Chromium profile: only registrations the demo wrote itself are replaced. */
function registerHost(wrapper: string, profile: string): RegistrationTarget[] {
  const os = currentHostOs();
  const targets = [
    chromiumProfileTarget(profile),
    ...resolveTargets(os, 'user', BROWSERS, registrationEnvFrom()).targets,
  ];
  const demoOwned = (existing: HostManifest | undefined) => existing?.description === DEMO_DESCRIPTION;
  return installHost(
    targets,
    { hostPath: wrapper, description: DEMO_DESCRIPTION, replaceOnly: demoOwned },
    registrationContext(os),
  )
    .filter((r) => r.outcome !== 'kept')
    .map((r) => r.target);
}

function findChromium(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
    existsSync(p),
  );
}

/**
 * A visible Chromium with the extension. The extension page is opened once the extension has loaded
 * (a chrome-extension:// address given on the command line is blocked while it is still loading).
 */
async function openChromium(executablePath: string, profile: string, url: string): Promise<void> {
  const launching = puppeteer.launch({
    executablePath,
    headless: false,
    pipe: true,
    userDataDir: profile,
    enableExtensions: [path.join(root, 'dist/chrome')],
    defaultViewport: null,
    ignoreDefaultArgs: ['--enable-automation'],
    // The demo's own teardown closes Chromium after the rest; Puppeteer's handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-first-run',
      '--disable-background-networking',
      '--hide-crash-restore-bubble',
      // Chromium refuses to run as root with its sandbox on.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  const browser = await teardown.track(launching, (b) => b.close());
  browser.once('disconnected', () => {
    if (teardown.begun) return;
    say('Chromium 已關閉，結束示範。', 'Chromium was closed: stopping the demo.');
    void stop(0);
  });
  const target = await browser.waitForTarget(
    (t) =>
      t.type() === TargetType.SERVICE_WORKER &&
      t.url().startsWith(`chrome-extension://${EXTENSION_IDS.chromium}/`),
    { timeout: 20_000 },
  );
  // Point the extension at this demo's portal (PORTAL_PORT may differ from the default), in the demo's
  // language (Chromium on Linux takes its UI language from the environment, not from a flag).
  const worker = await target.worker();
  if (!worker) throw new Error('the extension background did not start');
  // The worker target shows up before its script has run, when the extension's API is not there yet.
  const apiReady = () =>
    worker
      .evaluate(() => typeof (globalThis as { chrome?: { storage?: unknown } }).chrome?.storage === 'object')
      .catch(() => false);
  const deadline = Date.now() + 10_000;
  while (!(await apiReady())) {
    if (Date.now() > deadline) throw new Error('the extension background did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.evaluate(
    async (settings) => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { set(v: object): Promise<void> } } };
      };
      await g.chrome.storage.local.set(settings);
    },
    { portalAddress: PORTAL_ORIGIN, language: zh ? 'zh_TW' : 'en' },
  );
  const [first] = await browser.pages();
  await (first ?? (await browser.newPage())).goto(url);
}

async function main(): Promise<void> {
  mkdirSync(demoDir, { recursive: true });
  const env: Record<string, string> = { CARDBRIDGE_DEV_ORIGINS: PORTAL_ORIGIN };

  const { pki, fresh } = await loadOrCreatePki(path.join(demoDir, 'pki.json'));
  const trustDir = path.join(demoDir, 'trust');
  rmSync(trustDir, { recursive: true, force: true });
  writeTrustDir(pki, trustDir);
  const database = path.join(varDir, 'portal.sqlite');
  if (fresh && !process.env.DATABASE_URL) {
    // Registrations name certificates of the previous demo PKI: start the demo records afresh.
    rmSync(database, { force: true });
  }

  const cards = chooseCardSource(args, process.env, realReaderPresent);
  if (cards === 'readers') {
    say(
      '使用這台電腦的讀卡機（改用虛擬健保卡：npm start -- --lab-cards）。',
      'Using the card readers of this computer (for the virtual NHI card: npm start -- --lab-cards).',
    );
  } else {
    say('使用虛擬健保卡與軟體憑證卡。', 'Using the virtual NHI card and software tokens.');
    const lab = await teardown.track(Lab.start(), (l) => l.stop());
    await lab.card(new NhiCardApplet(DEMO_NHI_CARD), lab.slot(0)).insert();
    Object.assign(env, lab.env);
  }

  // The demo's cards: the tests' broken cases (expired, revoked…) would only clutter the chooser.
  const demoTokens = LAB_TOKENS.filter((t) => !t.label.includes('broken'));
  if (softHsmPrerequisites().length === 0) {
    const hsm = SoftHsmLab.create(pki, demoTokens);
    teardown.add(() => hsm.dispose());
    Object.assign(env, hsm.env, { CARDBRIDGE_PKCS11_MODULES: hsm.module });
  } else {
    // No SoftHSM: the same identities as PKCS#12 files (password = PIN).
    const chains = { citizenSign: pki.cas.MOICA, company: pki.cas.MOEACA, agency: pki.cas.GCA } as const;
    const files = (Object.keys(chains) as Array<keyof typeof chains>).map((leaf) => {
      const file = path.join(demoDir, `${leaf}.p12`);
      writeFileSync(file, pkcs12Bytes(leaf, pki.leaves[leaf], [chains[leaf]], PKCS12_PASSWORD), {
        mode: 0o600,
      });
      return file;
    });
    env.CARDBRIDGE_PKCS12_FILES = files.join(path.delimiter);
  }

  const portal = await teardown.track(
    startPortalServer(
      {
        PORTAL_ORIGIN,
        PORTAL_TRUST_DIR: trustDir,
        PORTAL_NHI_SAM_MASTER_KEY: LAB_SAM_MASTER_KEY.toString('hex'),
        PORTAL_OUTBOX_DIR: path.join(varDir, 'outbox'),
        PORTAL_DEV_OUTBOX: '1',
        // The desk's job loop: form files made, kept their days, then removed.
        PORTAL_DESK_JOB_MS: '5000',
        // Chromium's fixed extension id, and Firefox's extension pages (their address differs per install).
        PORTAL_CORS_ORIGINS: `chrome-extension://${EXTENSION_IDS.chromium},moz-extension://*`,
        PORTAL_LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'warn',
        ...(process.env.DATABASE_URL ? {} : { DATABASE_URL: database }),
      },
      { port: PORTAL_PORT, echo: true },
    ),
    (p) => p.stop(),
  );
  void portal.exited.then(() => {
    if (teardown.begun) return;
    say('入口網站已停止，結束示範。', 'The portal stopped: stopping the demo.');
    void stop(1);
  });

  const profile = path.join(demoDir, 'chromium-profile');
  const wrapper = writeHostWrapper(env);
  const registered = registerHost(wrapper, profile);
  // Removed only while still ours: another demo may have registered itself since.
  teardown.add(() =>
    uninstallHost(registered, registrationContext(currentHostOs()), (existing) => existing?.path === wrapper),
  );

  const portalPage = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/portal/index.html#/register`;
  const chromium = findChromium();
  if (withBrowser && chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    await openChromium(chromium, profile, portalPage);
    say('已開啟 Chromium 與卡橋擴充功能。', 'Chromium is open with the CardBridge extension.');
  } else {
    say(
      // The extension's default portal is NHI's own: the clerk points it at this demo's portal.
      `沒有可用的畫面：請在 Chrome/Edge 的「擴充功能」頁開啟開發人員模式，載入 ${path.join(root, 'dist/chrome')}；在卡橋的「選項」把入口網站位址設為 ${PORTAL_ORIGIN}，再開啟 ${portalPage}`,
      `No display: in Chrome/Edge open the extensions page, turn on developer mode, load ${path.join(root, 'dist/chrome')} unpacked; in CardBridge's options set the portal address to ${PORTAL_ORIGIN}, then open ${portalPage}`,
    );
  }

  const lines = demoBanner(PORTAL_ORIGIN, cards, demoTokens);
  process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
  say('系統已就緒。', 'The system is ready.');
}

main().catch(fail);
