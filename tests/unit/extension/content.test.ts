// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The content script, loaded into jsdom with a fake `chrome.runtime.sendMessage`; the test plays the
 * page (window.postMessage through windowMessaging.ts, which gives messages `source: window` — jsdom
 * leaves it null) and the background (the sendMessage mock's answer).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageResponseMessage } from '../../../shared/pageapi/wire.ts';
import { actionOf, installWindowMessaging, otherWindow, type WindowMessaging } from './windowMessaging.ts';

type SendMessage = (message: unknown) => Promise<unknown>;

interface Deferred {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const globals = globalThis as { chrome?: unknown; browser?: unknown };

let messaging: WindowMessaging;
let sendMessage: ReturnType<typeof vi.fn<SendMessage>>;
let contentListener: EventListenerOrEventListenerObject | undefined;

/**
 * Loads a fresh copy of the content script. Its window listener is captured so that afterEach can
 * remove it: every test shares one jsdom window, and a listener left over from an earlier test would
 * still relay (to that test's sendMessage) and post replies of its own.
 */
async function loadContentScript(): Promise<void> {
  const addEventListener = vi.spyOn(window, 'addEventListener');
  await import('../../../extension/content/content.iife.ts');
  const call = addEventListener.mock.calls.find(([type]) => type === 'message');
  addEventListener.mockRestore();
  if (!call) throw new Error('the content script added no message listener');
  contentListener = call[1] ?? undefined;
}

/** The page posts a request, as the page library does. */
function pagePosts(data: unknown): void {
  window.postMessage(data, window.location.origin);
}

/** Replies the content script posted (everything but the page's own requests). */
function replies(): Record<string, unknown>[] {
  return messaging.posted
    .filter((m) => /-(ack|success|failure)$/.test(actionOf(m.data) ?? ''))
    .map((m) => m.data as Record<string, unknown>);
}

function setSecureContext(value: boolean): void {
  Object.defineProperty(window, 'isSecureContext', { value, configurable: true });
}

beforeEach(async () => {
  vi.resetModules();
  messaging = installWindowMessaging();
  // jsdom does not implement isSecureContext; a page served over https has it true.
  setSecureContext(true);
  sendMessage = vi.fn<SendMessage>(() => Promise.resolve({ ok: true, result: 'default' }));
  globals.chrome = { runtime: { sendMessage } };
  await loadContentScript();
});

afterEach(() => {
  if (contentListener) window.removeEventListener('message', contentListener);
  contentListener = undefined;
  messaging.restore();
  delete globals.chrome;
  delete globals.browser;
  Reflect.deleteProperty(window, 'isSecureContext');
});

describe('content script: relaying a request', () => {
  it('acks at once, before the background has answered', async () => {
    sendMessage.mockReturnValue(new Promise(() => undefined)); // the background never answers
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(replies()).toEqual([{ action: 'cardbridge:status-ack' }]);
  });

  it('relays the action and the payload without the action key, and nothing of its own', async () => {
    pagePosts({ action: 'cardbridge:sign', data: 'AAAA', hash: 'SHA-256' });
    await messaging.deliver();
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(sendMessage).toHaveBeenCalledWith({
      type: 'cardbridge/page-request',
      action: 'sign',
      payload: { data: 'AAAA', hash: 'SHA-256' },
    });
  });

  it('does not let page data set the message type or the origin', async () => {
    pagePosts({
      action: 'cardbridge:status',
      type: 'cardbridge/admin',
      origin: 'https://eservice.nhi.gov.tw',
    });
    await messaging.deliver();
    const [message] = sendMessage.mock.calls[0]!;
    expect(message).toMatchObject({ type: 'cardbridge/page-request', action: 'status' });
    // Page data stays inside `payload`, where the background never looks for an origin.
    expect(Object.keys(message as object).sort()).toEqual(['action', 'payload', 'type']);
  });

  it('posts <action>-success with the result when the background answers ok', async () => {
    const result = { version: '0.1.0', readers: [] };
    sendMessage.mockResolvedValue({ ok: true, result } satisfies PageResponseMessage);
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(replies()).toEqual([
      { action: 'cardbridge:status-ack' },
      { action: 'cardbridge:status-success', result },
    ]);
  });

  it("posts <action>-failure with the background's error", async () => {
    const error = {
      code: 'ERR_ORIGIN_NOT_ALLOWED' as const,
      message: 'This website is not allowed to use CardBridge.',
      details: { hint: 'options page' },
    };
    sendMessage.mockResolvedValue({ ok: false, error } satisfies PageResponseMessage);
    pagePosts({ action: 'cardbridge:read-nhi-card' });
    await messaging.deliver();
    expect(replies()).toEqual([
      { action: 'cardbridge:read-nhi-card-ack' },
      { action: 'cardbridge:read-nhi-card-failure', ...error },
    ]);
  });

  it('answers ERR_INTERNAL when the background gives no response', async () => {
    sendMessage.mockResolvedValue(undefined);
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(replies().at(-1)).toMatchObject({ action: 'cardbridge:status-failure', code: 'ERR_INTERNAL' });
  });

  it('answers ERR_EXTENSION_UNAVAILABLE when sendMessage rejects, and frees the action', async () => {
    sendMessage.mockRejectedValueOnce(
      new Error('Could not establish connection. Receiving end does not exist.'),
    );
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(replies()).toEqual([
      { action: 'cardbridge:status-ack' },
      {
        action: 'cardbridge:status-failure',
        code: 'ERR_EXTENSION_UNAVAILABLE',
        message: 'ERR_EXTENSION_UNAVAILABLE',
      },
    ]);

    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(sendMessage).toHaveBeenCalledTimes(2);
    expect(replies().at(-1)).toEqual({ action: 'cardbridge:status-success', result: 'default' });
  });

  it("posts its replies to the page's own origin, never to '*'", async () => {
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    const targets = messaging.posted
      .filter((m) => actionOf(m.data) !== 'cardbridge:status')
      .map((m) => m.targetOrigin);
    expect(targets).toHaveLength(2);
    expect(new Set(targets)).toEqual(new Set([window.location.origin]));
  });

  it('uses browser.runtime when the browser provides it (Firefox)', async () => {
    if (contentListener) window.removeEventListener('message', contentListener);
    vi.resetModules();
    const firefoxSend = vi.fn<SendMessage>(() => Promise.resolve({ ok: true, result: 'firefox' }));
    globals.browser = { runtime: { sendMessage: firefoxSend } };
    await loadContentScript();

    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(firefoxSend).toHaveBeenCalledTimes(1);
    expect(sendMessage).not.toHaveBeenCalled();
    expect(replies().at(-1)).toEqual({ action: 'cardbridge:status-success', result: 'firefox' });
  });
});

describe('content script: what it ignores', () => {
  // Each test ends with a real request, so that "nothing happened" is checked after the content
  // script has certainly seen the ignored messages (they are delivered in order).
  async function onlyTheLastRequestIsRelayed(): Promise<void> {
    const before = messaging.posted.length;
    pagePosts({ action: 'cardbridge:get-certificates' });
    await messaging.deliver();
    expect(sendMessage.mock.calls.map(([m]) => (m as { action: string }).action)).toEqual([
      'get-certificates',
    ]);
    // Everything posted from here on: the request itself and the content script's two replies, and
    // nothing posted earlier was answered.
    expect(messaging.actions().slice(before)).toEqual([
      'cardbridge:get-certificates',
      'cardbridge:get-certificates-ack',
      'cardbridge:get-certificates-success',
    ]);
  }

  it('ignores messages from other windows', async () => {
    messaging.dispatchFrom(otherWindow(), { action: 'cardbridge:sign', data: 'AAAA' });
    messaging.dispatchFrom(null, { action: 'cardbridge:status' });
    await onlyTheLastRequestIsRelayed();
  });

  it.each([
    ['an unknown action', { action: 'cardbridge:format-card' }],
    ['an action without the prefix', { action: 'status' }],
    ['another prefix', { action: 'webeid:status' }],
    ['an upper-case action', { action: 'CARDBRIDGE:STATUS' }],
    ['a non-string action', { action: 42 }],
    ['no action', { command: 'status' }],
    ['null', null],
    ['a string', 'cardbridge:status'],
  ])('ignores %s', async (_name, data) => {
    pagePosts(data);
    await onlyTheLastRequestIsRelayed();
  });

  it.each(['ack', 'success', 'failure'])('ignores <action>-%s messages (its own replies)', async (suffix) => {
    pagePosts({ action: `cardbridge:status-${suffix}`, result: 'x', code: 'ERR_X', message: 'x' });
    await onlyTheLastRequestIsRelayed();
  });

  it('does not relay its own replies back to the background', async () => {
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    // ack and success went through the same window listener; only the request was relayed.
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(replies()).toHaveLength(2);
  });
});

describe('content script: one request per action', () => {
  it('answers a second request for a pending action with ERR_ACTION_PENDING, without relaying it', async () => {
    const background = deferred();
    sendMessage.mockReturnValueOnce(background.promise);
    pagePosts({ action: 'cardbridge:sign', data: 'first' });
    pagePosts({ action: 'cardbridge:sign', data: 'second' });
    await messaging.deliver();
    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(replies()).toEqual([
      { action: 'cardbridge:sign-ack' },
      { action: 'cardbridge:sign-failure', code: 'ERR_ACTION_PENDING', message: 'ERR_ACTION_PENDING' },
    ]);

    background.resolve({ ok: true, result: 'signature' });
    await messaging.deliver();
    expect(replies().at(-1)).toEqual({ action: 'cardbridge:sign-success', result: 'signature' });
  });

  it('relays a different action while one is pending', async () => {
    sendMessage.mockReturnValueOnce(new Promise(() => undefined));
    pagePosts({ action: 'cardbridge:sign' });
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(sendMessage.mock.calls.map(([m]) => (m as { action: string }).action)).toEqual(['sign', 'status']);
    expect(replies()).toContainEqual({ action: 'cardbridge:status-success', result: 'default' });
  });

  it('relays the action again once the first request has been answered', async () => {
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(sendMessage).toHaveBeenCalledTimes(2);
    expect(replies().filter((r) => r.action === 'cardbridge:status-failure')).toEqual([]);
  });
});

describe('content script: insecure pages', () => {
  it('answers ERR_CONTEXT_INSECURE without acking or relaying', async () => {
    setSecureContext(false);
    pagePosts({ action: 'cardbridge:read-nhi-card' });
    await messaging.deliver();
    expect(sendMessage).not.toHaveBeenCalled();
    expect(replies()).toEqual([
      {
        action: 'cardbridge:read-nhi-card-failure',
        code: 'ERR_CONTEXT_INSECURE',
        message: 'ERR_CONTEXT_INSECURE',
      },
    ]);
  });

  it('treats a context that does not say it is secure as insecure', async () => {
    Reflect.deleteProperty(window, 'isSecureContext');
    pagePosts({ action: 'cardbridge:status' });
    await messaging.deliver();
    expect(sendMessage).not.toHaveBeenCalled();
    expect(replies()).toEqual([
      { action: 'cardbridge:status-failure', code: 'ERR_CONTEXT_INSECURE', message: 'ERR_CONTEXT_INSECURE' },
    ]);
  });
});

describe('content script: payloads that are not JSON data (page API fuzz findings)', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 40; i++) deep = { next: deep };
  const hostile: Array<[string, Record<string, unknown>]> = [
    ['a BigInt', { challengeNonce: 10n }],
    ['a Map', { challengeNonce: new Map([['a', 1]]) }],
    ['a Date', { when: new Date(0) }],
    ['an ArrayBuffer', { hash: new ArrayBuffer(8) }],
    ['a cycle', { cyclic }],
    ['a deep object', { deep }],
    ['a huge string', { challengeNonce: 'A'.repeat(2 * 1024 * 1024) }],
    ['a long array of numbers', { list: Array.from({ length: 100_000 }, () => 0) }],
    ['NaN', { count: Number.NaN }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>],
    ['a nested constructor.prototype', { a: { constructor: { prototype: { polluted: true } } } }],
  ];

  it.each(hostile)(
    'answers %s with ERR_BAD_REQUEST, relays nothing and frees the action',
    async (_, payload) => {
      pagePosts({ ...payload, action: 'cardbridge:authenticate', requestId: 'r1' });
      await messaging.deliver();
      expect(sendMessage).not.toHaveBeenCalled();
      expect(replies()).toEqual([
        { action: 'cardbridge:authenticate-ack', requestId: 'r1' },
        expect.objectContaining({
          action: 'cardbridge:authenticate-failure',
          code: 'ERR_BAD_REQUEST',
          requestId: 'r1',
        }),
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // The action is free again: the next request is relayed.
      pagePosts({ action: 'cardbridge:authenticate', challengeNonce: 'abc', requestId: 'r2' });
      await messaging.deliver();
      expect(sendMessage).toHaveBeenCalledTimes(1);
    },
  );

  it('answers ERR_BAD_REQUEST when sendMessage throws at once (the browser will not serialise it)', async () => {
    sendMessage.mockImplementation(() => {
      throw new Error('Could not serialize message.');
    });
    pagePosts({ action: 'cardbridge:status', requestId: 'r1' });
    await messaging.deliver();
    expect(replies().at(-1)).toMatchObject({ action: 'cardbridge:status-failure', code: 'ERR_BAD_REQUEST' });
    sendMessage.mockResolvedValue({ ok: true, result: 'again' });
    pagePosts({ action: 'cardbridge:status', requestId: 'r2' });
    await messaging.deliver();
    expect(replies().at(-1)).toMatchObject({ action: 'cardbridge:status-success', result: 'again' });
  });

  it('relays a fresh copy of plain JSON data, leaving out undefined fields', async () => {
    pagePosts({ action: 'cardbridge:sign', hash: 'AAAA', documentName: undefined, list: [1, 'a', null] });
    await messaging.deliver();
    expect(sendMessage).toHaveBeenCalledWith({
      type: 'cardbridge/page-request',
      action: 'sign',
      payload: { hash: 'AAAA', list: [1, 'a', null] },
    });
  });
});
