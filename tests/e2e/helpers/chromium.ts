/** Debian Chromium, headless, with the built extension and the built host registered for its profile. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { TargetType, type Browser, type WebWorker } from 'puppeteer-core';
import { hostLogEnv } from '../../../lab/artefacts.ts';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';
import { registerHostForChromiumProfile } from './hostManifest.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../dist/chrome');

export interface ChromiumSession {
  browser: Browser;
  worker: WebWorker;
  profile: string;
  close(): Promise<void>;
}

/** Runs in the service worker: whether the background has registered its runtime.onMessage listener. */
const backgroundListens = (): boolean =>
  (
    globalThis as { chrome?: { runtime?: { onMessage?: { hasListeners(): boolean } } } }
  ).chrome?.runtime?.onMessage?.hasListeners() === true;

export async function launchChromium(
  options: {
    env?: Record<string, string>;
    registerHost?: boolean;
    args?: string[];
    /** Registers this executable as the host instead of the built one (a recording wrapper). */
    hostPath?: string;
  } = {},
): Promise<ChromiumSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'cardbridge-chromium-'));
  if (options.registerHost !== false) {
    registerHostForChromiumProfile(profile, options.hostPath);
  }
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    userDataDir: profile,
    enableExtensions: [EXTENSION_DIR],
    env: { ...process.env, ...hostLogEnv(options.env), ...options.env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...(options.args ?? []),
    ],
  });
  const target = await browser.waitForTarget(
    (t) =>
      t.type() === TargetType.SERVICE_WORKER &&
      t.url().startsWith(`chrome-extension://${EXTENSION_IDS.chromium}/`),
    { timeout: 15_000 },
  );
  const worker = (await target.worker())!;
  // The worker target shows up before its script has run: wait until the background listens for
  // messages (asked of the browser's own API; the product keeps no test hook).
  const deadline = Date.now() + 10_000;
  while (!(await worker.evaluate(backgroundListens).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the extension background did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    browser,
    worker,
    profile,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
