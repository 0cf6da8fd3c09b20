/**
 * The content script: a thin relay between the page (window.postMessage) and the background. It
 * answers only the page's own window, only in secure contexts, one pending request per action, and
 * acknowledges at once so the page knows the extension is there. It adds no data of its own: the
 * background takes the origin from the browser.
 */
import {
  ACTION_PREFIX,
  actionName,
  plainPayload,
  type PageRequestMessage,
  type PageResponseMessage,
} from '../../shared/pageapi/wire.ts';
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import type { ErrorBody } from '../../shared/protocol/messages.ts';

// No polyfill here: the content script must stay small (it runs on every page). Both browsers
// return a promise from runtime.sendMessage without a callback.
interface RuntimeLike {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}
const api = ((globalThis as { browser?: RuntimeLike }).browser ??
  (globalThis as { chrome?: RuntimeLike }).chrome)!;

/** Failures raised here; the page library maps codes to clerk-facing text. */
const fail = (code: ErrorCode): ErrorBody => ({ code, message: code });

const pending = new Set<string>();

function reply(
  action: string,
  suffix: 'ack' | 'success' | 'failure',
  requestId: string | undefined,
  body: Record<string, unknown> = {},
): void {
  // Replies carry the request's id, so a refusal of one request never settles another.
  const tagged = requestId === undefined ? body : { ...body, requestId };
  window.postMessage({ ...tagged, action: `${ACTION_PREFIX}${action}-${suffix}` }, window.location.origin);
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const action = actionName(event.data);
  if (!action) return;
  const { action: _action, requestId: rawId, ...payload } = event.data as Record<string, unknown>;
  const requestId = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;
  if (!window.isSecureContext) {
    reply(action, 'failure', requestId, fail('ERR_CONTEXT_INSECURE'));
    return;
  }
  if (pending.has(action)) {
    reply(action, 'failure', requestId, fail('ERR_ACTION_PENDING'));
    return;
  }
  reply(action, 'ack', requestId);
  // Only JSON data goes on: anything else (a BigInt, a Map, a cycle, a huge or deep payload) is
  // refused here, and answered, since runtime.sendMessage may throw or never settle on it.
  const plain = plainPayload(payload);
  if (!plain) {
    reply(action, 'failure', requestId, fail('ERR_BAD_REQUEST'));
    return;
  }
  const message: PageRequestMessage = { type: 'cardbridge/page-request', action, payload: plain };
  let sent: Promise<unknown>;
  try {
    sent = api.runtime.sendMessage(message);
  } catch {
    // The browser would not serialise the message: the page's request, not the extension, is at fault.
    reply(action, 'failure', requestId, fail('ERR_BAD_REQUEST'));
    return;
  }
  pending.add(action);
  sent
    .then(
      (response) => {
        const r = response as PageResponseMessage | undefined;
        if (r?.ok) reply(action, 'success', requestId, { result: r.result });
        else reply(action, 'failure', requestId, r ? r.error : fail('ERR_INTERNAL'));
      },
      () => reply(action, 'failure', requestId, fail('ERR_EXTENSION_UNAVAILABLE')),
    )
    .finally(() => pending.delete(action));
});
