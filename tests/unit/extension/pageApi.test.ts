// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The page library against a fake content script that speaks the page protocol (window.postMessage:
 * `<action>-ack`, then `<action>-success` or `<action>-failure`), as extension/content/content.iife.ts
 * does. Messages go through windowMessaging.ts, which gives them `source: window` (jsdom leaves it
 * null) and delivers them when the test says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardBridgeError, createCardBridge } from '../../../extension/page-api/index.ts';
import { installWindowMessaging, otherWindow, type WindowMessaging } from './windowMessaging.ts';

type Answer =
  { result: unknown } | { code: string; message: string; details?: Record<string, unknown> } | undefined;

const SUFFIX = /-(ack|success|failure)$/;

/**
 * A content script: answers requests from the page's own window only. It acks unless told not to,
 * answers with `answer` when that gives something, and otherwise leaves the test to answer later.
 */
function installFakeContentScript(options: { ack?: boolean; answer?: (action: string) => Answer } = {}) {
  const requests: Record<string, unknown>[] = [];
  const reply = (action: string, suffix: string, body: Record<string, unknown> = {}) =>
    window.postMessage({ ...body, action: `${action}-${suffix}` }, window.location.origin);
  const listener = (event: MessageEvent) => {
    if (event.source !== window) return;
    const data = event.data as Record<string, unknown> | null;
    const action = data?.action;
    if (typeof action !== 'string' || !action.startsWith('cardbridge:') || SUFFIX.test(action)) return;
    requests.push(data!);
    if (options.ack !== false) reply(action, 'ack');
    const answer = options.answer?.(action);
    if (answer && 'result' in answer) reply(action, 'success', { result: answer.result });
    else if (answer) reply(action, 'failure', answer);
  };
  window.addEventListener('message', listener);
  return {
    requests,
    succeed: (action: string, result: unknown) => reply(action, 'success', { result }),
    fail: (action: string, error: { code: string; message: string }) => reply(action, 'failure', error),
    ack: (action: string) => reply(action, 'ack'),
    remove: () => window.removeEventListener('message', listener),
  };
}

/** Tracks a promise's outcome without letting an expected rejection go unhandled. */
function track<T>(promise: Promise<T>) {
  const outcome: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { settled: true, value }),
    (error: unknown) => Object.assign(outcome, { settled: true, error }),
  );
  return outcome;
}

function expectBridgeError(error: unknown, code: string): CardBridgeError {
  expect(error).toBeInstanceOf(CardBridgeError);
  expect((error as CardBridgeError).code).toBe(code);
  return error as CardBridgeError;
}

const STATUS = {
  version: '0.1.0',
  protocol: 1,
  pcsc: { available: true },
  readers: [{ name: 'ACS ACR39U ICC Reader 00 00', card: 'nhi' }],
  tokens: [],
  extensionVersion: '0.1.0',
};

let messaging: WindowMessaging;
let script: ReturnType<typeof installFakeContentScript> | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  messaging = installWindowMessaging();
});

afterEach(() => {
  script?.remove();
  script = undefined;
  messaging.restore();
  vi.useRealTimers();
});

const SIGN_REQUEST = { hash: 'AAAA', hashFunction: 'SHA-256', format: 'raw' } as const;

describe('createCardBridge: answers', () => {
  it('resolves status() with the result of <action>-success', async () => {
    script = installFakeContentScript({ answer: () => ({ result: STATUS }) });
    const status = createCardBridge().status();
    await messaging.deliver();
    await expect(status).resolves.toEqual(STATUS);
    expect(script.requests).toEqual([
      { action: 'cardbridge:status', requestId: expect.any(String) as unknown },
    ]);
  });

  it("posts to the page's own origin, never to '*'", async () => {
    script = installFakeContentScript({ answer: () => ({ result: STATUS }) });
    const status = createCardBridge().status();
    await messaging.deliver();
    await status;
    expect(messaging.posted[0]).toEqual({
      data: { action: 'cardbridge:status', requestId: expect.any(String) as unknown },
      targetOrigin: window.location.origin,
    });
  });

  it('sends the payload with the action, and the payload cannot change the action', async () => {
    script = installFakeContentScript({ answer: () => ({ result: 'signed' }) });
    const hostile = { ...SIGN_REQUEST, action: 'cardbridge:status' };
    const sign = createCardBridge().request('sign', hostile);
    await messaging.deliver();
    await expect(sign).resolves.toBe('signed');
    expect(script.requests).toEqual([
      { ...SIGN_REQUEST, action: 'cardbridge:sign', requestId: expect.any(String) as unknown },
    ]);
  });

  it('rejects with a CardBridgeError carrying the code, message and details of <action>-failure', async () => {
    script = installFakeContentScript({
      answer: () => ({
        code: 'ERR_NO_CARD',
        message: 'There is no card in the reader.',
        details: { reader: 'ACS ACR39U' },
      }),
    });
    const status = track(createCardBridge().status());
    await messaging.deliver();
    const error = expectBridgeError(status.error, 'ERR_NO_CARD');
    expect(error.message).toBe('There is no card in the reader.');
    expect(error.details).toEqual({ reader: 'ACS ACR39U' });
    expect(error.name).toBe('CardBridgeError');
  });

  it('rejects with ERR_INTERNAL, keeping the code in the details, when the code is not a documented one', async () => {
    script = installFakeContentScript({
      answer: () => ({ code: 'ERR_FROM_THE_FUTURE', message: 'newer', details: { reader: 'R' } }),
    });
    const status = track(createCardBridge().status());
    await messaging.deliver();
    const error = expectBridgeError(status.error, 'ERR_INTERNAL');
    expect(error.details).toEqual({ reader: 'R', code: 'ERR_FROM_THE_FUTURE' });
  });

  it('accepts a failure that comes without an ack (the content script refusing an insecure page)', async () => {
    script = installFakeContentScript({
      ack: false,
      answer: () => ({ code: 'ERR_CONTEXT_INSECURE', message: 'ERR_CONTEXT_INSECURE' }),
    });
    const status = track(createCardBridge().status());
    await messaging.deliver();
    expectBridgeError(status.error, 'ERR_CONTEXT_INSECURE');
  });
});

describe('createCardBridge: timeouts', () => {
  it('rejects with ERR_EXTENSION_UNAVAILABLE when nothing acks within ackTimeoutMs', async () => {
    // No content script: the extension is not installed.
    const status = track(createCardBridge({ ackTimeoutMs: 1_000 }).status());
    await messaging.deliver();
    await vi.advanceTimersByTimeAsync(999);
    expect(status.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expectBridgeError(status.error, 'ERR_EXTENSION_UNAVAILABLE');
  });

  it('defaults to a one-second ack timeout', async () => {
    const status = track(createCardBridge().status());
    await messaging.deliver();
    await vi.advanceTimersByTimeAsync(999);
    expect(status.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expectBridgeError(status.error, 'ERR_EXTENSION_UNAVAILABLE');
  });

  it('frees the action after ERR_EXTENSION_UNAVAILABLE, so the page can try again', async () => {
    const bridge = createCardBridge({ ackTimeoutMs: 1_000 });
    const first = track(bridge.status());
    await messaging.deliver();
    await vi.advanceTimersByTimeAsync(1_000);
    expectBridgeError(first.error, 'ERR_EXTENSION_UNAVAILABLE');

    script = installFakeContentScript({ answer: () => ({ result: STATUS }) });
    const second = bridge.status();
    await messaging.deliver();
    await expect(second).resolves.toEqual(STATUS);
  });

  it('after an ack, waits for the clerk up to userTimeoutMs and then rejects with ERR_TIMEOUT', async () => {
    script = installFakeContentScript(); // acks, never answers
    const sign = track(createCardBridge({ ackTimeoutMs: 1_000, userTimeoutMs: 120_000 }).request('sign'));
    await messaging.deliver();
    expect(messaging.actions()).toContain('cardbridge:sign-ack');

    await vi.advanceTimersByTimeAsync(5_000);
    expect(sign.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(114_999);
    expect(sign.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expectBridgeError(sign.error, 'ERR_TIMEOUT');
  });

  it('resolves with an answer that comes after the ack timeout would have passed', async () => {
    script = installFakeContentScript();
    const sign = track(createCardBridge({ ackTimeoutMs: 1_000 }).request('sign'));
    await messaging.deliver();
    await vi.advanceTimersByTimeAsync(30_000);
    script.succeed('cardbridge:sign', 'signature');
    await messaging.deliver();
    expect(sign.value).toBe('signature');
  });
});

describe('createCardBridge: one request per action', () => {
  it('refuses a second call of the same action with ERR_ACTION_PENDING, without posting it', async () => {
    script = installFakeContentScript();
    const bridge = createCardBridge();
    const first = track(bridge.status());
    const second = track(bridge.status());
    await messaging.deliver();
    expectBridgeError(second.error, 'ERR_ACTION_PENDING');
    expect(first.settled).toBe(false);
    expect(script.requests).toHaveLength(1);

    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(first.value).toEqual(STATUS);
  });

  it('lets a different action run at the same time', async () => {
    script = installFakeContentScript();
    const bridge = createCardBridge();
    const status = track(bridge.status());
    const read = track(bridge.request('read-nhi-card'));
    await messaging.deliver();
    expect(read.settled).toBe(false);
    expect(script.requests.map((r) => r.action)).toEqual(['cardbridge:status', 'cardbridge:read-nhi-card']);

    script.succeed('cardbridge:read-nhi-card', { name: '王小明' });
    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(read.value).toEqual({ name: '王小明' });
    expect(status.value).toEqual(STATUS);
  });

  it('allows the action again once it has settled, with either outcome', async () => {
    script = installFakeContentScript();
    const bridge = createCardBridge();
    const first = track(bridge.status());
    await messaging.deliver();
    script.fail('cardbridge:status', { code: 'ERR_NO_READER', message: 'No card reader was found.' });
    await messaging.deliver();
    expectBridgeError(first.error, 'ERR_NO_READER');

    const second = track(bridge.status());
    await messaging.deliver();
    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(second.value).toEqual(STATUS);
    expect(script.requests).toHaveLength(2);
  });
});

describe('createCardBridge: messages that are not its answer', () => {
  it('ignores answers for other actions', async () => {
    script = installFakeContentScript();
    const status = track(createCardBridge().status());
    await messaging.deliver();
    script.succeed('cardbridge:read-nhi-card', 'not the status');
    script.fail('cardbridge:sign', { code: 'ERR_USER_CANCELLED', message: 'cancelled' });
    script.succeed('cardbridge:statusx', 'not the status either');
    await messaging.deliver();
    expect(status.settled).toBe(false);

    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(status.value).toEqual(STATUS);
  });

  it('ignores answers from other windows', async () => {
    script = installFakeContentScript();
    const status = track(createCardBridge().status());
    await messaging.deliver();
    const frame = otherWindow();
    messaging.dispatchFrom(frame, { action: 'cardbridge:status-success', result: 'forged' });
    messaging.dispatchFrom(null, { action: 'cardbridge:status-failure', code: 'ERR_FORGED', message: 'x' });
    await messaging.deliver();
    expect(status.settled).toBe(false);

    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(status.value).toEqual(STATUS);
  });

  it('does not count an ack from another window as the extension being there', async () => {
    const status = track(createCardBridge({ ackTimeoutMs: 1_000 }).status());
    await messaging.deliver();
    messaging.dispatchFrom(otherWindow(), { action: 'cardbridge:status-ack' });
    await vi.advanceTimersByTimeAsync(1_000);
    expectBridgeError(status.error, 'ERR_EXTENSION_UNAVAILABLE');
  });

  it('is not disturbed by messages without an action or without data', async () => {
    script = installFakeContentScript();
    const status = track(createCardBridge().status());
    await messaging.deliver();
    window.postMessage(null, window.location.origin);
    window.postMessage('hello', window.location.origin);
    window.postMessage({ type: 'unrelated' }, window.location.origin);
    await messaging.deliver();
    expect(status.settled).toBe(false);
    script.succeed('cardbridge:status', STATUS);
    await messaging.deliver();
    expect(status.value).toEqual(STATUS);
  });
});

describe('createCardBridge: request ids', () => {
  it('ignores a reply that names another request, so a refused duplicate does not settle the original', async () => {
    script = installFakeContentScript();
    const first = track(createCardBridge().request('status'));
    await messaging.deliver();
    const firstId = (script.requests[0] as { requestId: string }).requestId;
    // Another instance's request was refused: its failure carries that request's id, not ours.
    window.postMessage(
      {
        action: 'cardbridge:status-failure',
        requestId: 'someone-else',
        code: 'ERR_ACTION_PENDING',
        message: 'x',
      },
      window.location.origin,
    );
    await messaging.deliver();
    expect(first.settled).toBe(false);
    window.postMessage(
      { action: 'cardbridge:status-success', requestId: firstId, result: 'ok' },
      window.location.origin,
    );
    await messaging.deliver();
    expect(first).toMatchObject({ settled: true, value: 'ok' });
  });

  it('frees the action at once when the payload cannot be cloned', async () => {
    script = installFakeContentScript({ answer: () => ({ result: 'signed' }) });
    const bridge = createCardBridge();
    const uncloneable = { ...SIGN_REQUEST, callback: () => 1 };
    await expect(bridge.request('sign', uncloneable)).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    const again = track(bridge.request('sign', SIGN_REQUEST));
    await messaging.deliver();
    await messaging.deliver();
    expect(again).toMatchObject({ settled: true, value: 'signed' });
  });
});
