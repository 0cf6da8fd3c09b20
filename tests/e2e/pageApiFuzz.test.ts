/**
 * The page API fuzzed from a real page, in Chromium and in Firefox (issue 15): the page posts hostile
 * page-API messages straight to the window (wrong types, huge, deep, prototype keys, values that are
 * not JSON data such as BigInt, Map, Blob and cycles), floods them, and hands the page library values
 * that cannot be cloned at all (functions, Symbols, DOM nodes). Each must get its documented answer
 * (ERR_BAD_REQUEST, ERR_ACTION_PENDING for a flood, no answer for a name that is no page-API action)
 * and nothing may reach the host: the host is registered through a wrapper script that appends every
 * byte the browser sends it to a file, so the test reads the very frames the host got. Afterwards the
 * extension still serves the page and another tab.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { HOST_BIN } from '../integration/helpers/hostProcess.ts';
import { launchChromium, type ChromiumSession } from './helpers/chromium.ts';
import { launchFirefox, type FirefoxSession } from './helpers/firefox.ts';
import { startTestSite, type TestSite } from './helpers/testSite.ts';

const NHI_HOST = 'eservice.nhi.gov.tw';
/** A string no real request carries: if it shows up in a host frame, a hostile payload got through. */
const CANARY = 'cardbridge-fuzz-canary';

let dir: string;
let framesFile: string;
let wrapper: string;
let lab: Lab;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-pagefuzz-'));
  framesFile = path.join(dir, 'frames.bin');
  wrapper = path.join(dir, 'recording-host.sh');
  // The browser starts this in the host's place: it keeps a copy of stdin (the frames) and runs the
  // built host on the rest, with the browser's arguments.
  writeFileSync(wrapper, `#!/bin/sh\ntee -a '${framesFile}' | '${HOST_BIN}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  lab = await Lab.start();
  await lab.card(new NhiCardApplet(), lab.slot(0)).insert();
}, 60_000);
afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The frames the host has been sent so far (native messaging: 32-bit length, then JSON). */
function hostFrames(): Array<Record<string, unknown>> {
  if (!existsSync(framesFile)) return [];
  const bytes = readFileSync(framesFile);
  const frames: Array<Record<string, unknown>> = [];
  for (let at = 0; at + 4 <= bytes.length;) {
    const length = bytes.readUInt32LE(at);
    frames.push(
      JSON.parse(bytes.subarray(at + 4, at + 4 + length).toString('utf8')) as Record<string, unknown>,
    );
    at += 4 + length;
  }
  return frames;
}

interface Outcome {
  name: string;
  /** The error code answered, 'success', 'no answer', or the page-side exception's name. */
  got: string;
}

/**
 * Runs in the page (plain JavaScript, so nothing of the test's compiler leaks into it). Posts each
 * hostile message with its own requestId and waits for the content script's final answer to it.
 */
const HOSTILE_RUN = `(async () => {
  const CANARY = ${JSON.stringify(CANARY)};
  const ask = (name, data, waitMs) => new Promise((resolve) => {
    const requestId = 'fuzz-' + Math.random().toString(36).slice(2);
    const finish = (got) => { clearTimeout(timer); removeEventListener('message', on); resolve({ name, got }); };
    const on = (event) => {
      const d = event.data;
      if (event.source !== window || !d || d.requestId !== requestId) return;
      if (d.action === data.action + '-success') finish('success');
      else if (d.action === data.action + '-failure') finish(String(d.code));
    };
    const timer = setTimeout(() => finish('no answer'), waitMs);
    addEventListener('message', on);
    try {
      // Spread, not assignment: a "__proto__" key stays an own key, as a hostile page would send it.
      window.postMessage({ ...data, requestId }, location.origin);
    } catch (error) {
      finish('thrown ' + error.name);
    }
  });
  const polluted = (key) => JSON.parse('{"' + key + '": {"challengeNonce": "AAAA", "polluted": "' + CANARY + '"}}');
  let deep = CANARY;
  for (let i = 0; i < 2000; i++) deep = { next: deep };
  const cyclic = { canary: CANARY };
  cyclic.self = cyclic;
  const A = (action, extra) => Object.assign({ action: 'cardbridge:' + action }, extra);
  const cases = [
    ['authenticate: a nonce that is a number', A('authenticate', { challengeNonce: 42 })],
    ['authenticate: a nonce that is an array', A('authenticate', { challengeNonce: [CANARY] })],
    ['authenticate: a nonce that is an object', A('authenticate', { challengeNonce: { toString: CANARY } })],
    ['authenticate: no nonce', A('authenticate', { canary: CANARY })],
    ['authenticate: a nonce of 300 characters', A('authenticate', { challengeNonce: CANARY.padEnd(300, 'A') })],
    ['authenticate: a nonce of 4 MB', A('authenticate', { challengeNonce: CANARY.padEnd(4 * 1024 * 1024, 'A') })],
    ['sign: a hash that is an object', A('sign', { hash: { canary: CANARY }, hashFunction: 'SHA-256' })],
    ['sign: MD5', A('sign', { hash: btoa('x'.repeat(32)), hashFunction: 'MD5', documentName: CANARY })],
    ['sign: a document name of 2,000 characters', A('sign', { hash: btoa('x'.repeat(32)), hashFunction: 'SHA-256', documentName: CANARY.padEnd(2000, 'd') })],
    ['status: a __proto__ key', { ...polluted('__proto__'), action: 'cardbridge:status' }],
    ['authenticate: a __proto__ key', { ...polluted('__proto__'), action: 'cardbridge:authenticate' }],
    ['authenticate: constructor.prototype', A('authenticate', { challengeNonce: 'AAAA', constructor: { prototype: { polluted: CANARY } } })],
    ['status: 2,000 levels deep', A('status', { deep })],
    ['status: a cycle', A('status', { cyclic })],
    ['status: a BigInt', A('status', { extra: 10n ** 30n })],
    ['status: a Map', A('status', { extra: new Map([[CANARY, 1]]) })],
    ['status: a Set', A('status', { extra: new Set([CANARY]) })],
    ['status: a Date', A('status', { extra: new Date(0) })],
    ['status: a RegExp', A('status', { extra: new RegExp(CANARY) })],
    ['status: 1 MB of bytes', A('status', { extra: new Uint8Array(1024 * 1024) })],
    ['status: a Blob', A('status', { extra: new Blob([CANARY]) })],
    ['status: NaN', A('status', { extra: NaN })],
    ['status: 100,000 numbers', A('status', { extra: Array.from({ length: 100000 }, () => 0) })],
  ];
  const outcomes = [];
  for (const [name, data] of cases) outcomes.push(await ask(name, data, 10000));
  // Names that are no page-API action: the content script leaves them alone (no answer at all).
  for (const action of ['__proto__', 'constructor', 'toString', 'STATUS', 'status ']) {
    outcomes.push(await ask('an action named ' + JSON.stringify(action), { action: 'cardbridge:' + action }, 1000));
  }
  // A flood: 300 hostile requests of one action at once, then 300 of another.
  const flood = (action, extra) =>
    Promise.all(Array.from({ length: 300 }, (_, i) => ask(action + ' flood ' + i, A(action, extra), 20000)));
  outcomes.push(...(await flood('status', { extra: 1n })));
  outcomes.push(...(await flood('authenticate', { challengeNonce: 7 })));
  // Values that cannot be cloned at all: the page library refuses them before anything is posted.
  const lib = globalThis.CardBridgePage.createCardBridge();
  const viaLibrary = [
    ['library: a function', { extra: () => CANARY }],
    ['library: a Symbol', { extra: Symbol(CANARY) }],
    ['library: a DOM node', { extra: document.body }],
    ['library: window', { extra: window }],
  ];
  for (const [name, payload] of viaLibrary) {
    try {
      await lib.request('status', payload);
      outcomes.push({ name, got: 'success' });
    } catch (error) {
      outcomes.push({ name, got: String(error.code) });
    }
  }
  return outcomes;
})()`;

/** What each outcome must be. */
function expected(name: string, browser: 'chromium' | 'firefox'): string[] {
  if (name.startsWith('an action named')) return ['no answer'];
  // Firefox shows the content script the page's object through Xray vision, which has no own
  // "__proto__" key: the extension gets `status` with an empty payload, a harmless request.
  if (name === 'status: a __proto__ key' && browser === 'firefox') return ['success'];
  // The first of a flood may be relayed (and refused by the background); the rest find it pending.
  if (name.startsWith('authenticate flood')) return ['ERR_BAD_REQUEST', 'ERR_ACTION_PENDING'];
  return ['ERR_BAD_REQUEST'];
}

interface PageGlobals {
  CardBridgePage: { createCardBridge(): { request(action: string, payload?: unknown): Promise<unknown> } };
}

/** status() through the page library: 'ok' or the error code. */
function status(page: Page): Promise<string> {
  return page.evaluate(async () => {
    try {
      await (globalThis as unknown as PageGlobals).CardBridgePage.createCardBridge().request('status');
      return 'ok';
    } catch (error) {
      return (error as { code: string }).code;
    }
  });
}

/** The content script comes in at document_start; Firefox may need a moment after installing. */
async function openReady(newPage: () => Promise<Page>, url: string): Promise<Page> {
  const page = await newPage();
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.goto(url);
    if ((await status(page)) !== 'ERR_EXTENSION_UNAVAILABLE') break;
  }
  return page;
}

/** The whole run for one browser: warm up, fuzz, then check the host saw nothing and all still works. */
async function fuzzThrough(newPage: () => Promise<Page>, url: string, browser: 'chromium' | 'firefox') {
  const page = await openReady(newPage, url);
  expect(await status(page)).toBe('ok');
  const before = hostFrames().length;
  expect(before).toBeGreaterThan(0); // the recording works: the warm-up status is in it

  const outcomes = (await page.evaluate(HOSTILE_RUN)) as Outcome[];
  const wrong = outcomes.filter((o) => !expected(o.name, browser).includes(o.got));
  expect(wrong).toEqual([]);
  expect(outcomes.length).toBeGreaterThan(600);
  // The host got nothing, but for an answered request a plain `status` without arguments.
  const during = hostFrames().slice(before);
  const answered = outcomes.filter((o) => o.got === 'success').length;
  expect(during.map((f) => [f.command, f.arguments ?? {}])).toEqual(
    Array.from({ length: answered }, () => ['status', {}]),
  );

  // Still serving: this page and another tab.
  expect(await status(page)).toBe('ok');
  const other = await openReady(newPage, url);
  expect(await status(other)).toBe('ok');
  const all = JSON.stringify(hostFrames());
  expect(all).not.toContain(CANARY);
  expect(all).not.toContain('polluted');
}

describe('page API fuzz: Chromium', () => {
  let site: TestSite;
  let session: ChromiumSession | undefined;
  beforeAll(async () => {
    site = await startTestSite();
    rmSync(framesFile, { force: true });
    session = await launchChromium({ env: lab.env, hostPath: wrapper });
    await session.worker.evaluate(async () => {
      const g = globalThis as unknown as {
        chrome: { storage: { local: { set(v: object): Promise<void> } } };
      };
      await g.chrome.storage.local.set({ developmentMode: true }); // lets http://127.0.0.1 in
    });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('answers every hostile message as documented and sends the host nothing of it', async () => {
    await fuzzThrough(() => session!.browser.newPage(), site.url, 'chromium');
    // The background's own objects were not polluted either.
    const polluted = await session!.worker.evaluate(() => Object.hasOwn(Object.prototype, 'polluted'));
    expect(polluted).toBe(false);
  }, 300_000);
});

describe('page API fuzz: Firefox', () => {
  let site: TestSite;
  let session: FirefoxSession | undefined;
  beforeAll(async () => {
    site = await startTestSite({ httpsHostname: NHI_HOST });
    rmSync(framesFile, { force: true });
    session = await launchFirefox({ env: lab.env, mapHosts: [NHI_HOST], hostPath: wrapper });
  }, 90_000);
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('answers every hostile message as documented and sends the host nothing of it', async () => {
    await fuzzThrough(() => session!.browser.newPage(), site.url, 'firefox');
  }, 300_000);
});
