/**
 * CardBridge page library: what an NHI page includes to use the extension.
 *
 *   const cardBridge = createCardBridge();
 *   const status = await cardBridge.status();
 *
 * Every call resolves with the result or rejects with a CardBridgeError whose `code` is one of the
 * documented ERR_… codes; ERR_EXTENSION_UNAVAILABLE when no acknowledgement comes within a second
 * (the extension is not installed or is turned off).
 */
import type { PagePayload, PageReply } from '../../shared/pageapi/actions.ts';
import { ACTION_PREFIX, type PageActionName } from '../../shared/pageapi/wire.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import { isErrorCode } from '../../shared/protocol/errors.ts';

export { CardBridgeError };
export type { PageActionName, PagePayload, PageReply };
/** The web-eid:1.0 token `authenticate` resolves with. */
export type AuthTokenResult = PageReply<'authenticate'>;

export interface CardBridgeOptions {
  /** The window to talk through (tests pass their own). */
  target?: Window;
  ackTimeoutMs?: number;
  /** How long a clerk may take in the prompt (PIN, certificate choice). */
  userTimeoutMs?: number;
}

export interface CardBridge {
  status(): Promise<PageReply<'status'>>;
  /** The NHI card's basic data; the clerk is asked once per site. */
  readNhiCard(): Promise<PageReply<'read-nhi-card'>>;
  /** A web-eid:1.0 authentication token for the nonce your server issued. */
  authenticate(challengeNonce: string): Promise<PageReply<'authenticate'>>;
  sign(request: PagePayload<'sign'>): Promise<PageReply<'sign'>>;
  /** Lower-level: any action of the page API, with its payload. */
  request<A extends PageActionName>(action: A, payload?: PagePayload<A>): Promise<PageReply<A>>;
}

/** A failure as the content script posts it; a code this library does not know is ERR_INTERNAL. */
function pageError(data: { code?: unknown; message?: unknown; details?: unknown }): CardBridgeError {
  const details = data.details as Record<string, unknown> | undefined;
  if (isErrorCode(data.code)) return new CardBridgeError(data.code, String(data.message), details);
  return new CardBridgeError('ERR_INTERNAL', String(data.message), { ...details, code: String(data.code) });
}

export function createCardBridge(options: CardBridgeOptions = {}): CardBridge {
  const target = options.target ?? window;
  const ackTimeoutMs = options.ackTimeoutMs ?? 1_000;
  const userTimeoutMs = options.userTimeoutMs ?? 120_000;
  const pending = new Set<PageActionName>();

  function request<A extends PageActionName>(
    action: A,
    payload: PagePayload<A> | Record<string, never> = {},
  ): Promise<PageReply<A>> {
    if (pending.has(action)) {
      return Promise.reject(new CardBridgeError('ERR_ACTION_PENDING', `${action} is already in progress`));
    }
    pending.add(action);
    const name = `${ACTION_PREFIX}${action}`;
    const requestId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return new Promise<PageReply<A>>((resolve, reject) => {
      let acked = false;
      const finish = (fn: () => void) => {
        clearTimeout(ackTimer);
        clearTimeout(userTimer);
        target.removeEventListener('message', onMessage);
        pending.delete(action);
        fn();
      };
      const onMessage = (event: MessageEvent) => {
        if (event.source !== target) return;
        // Replies name the request they answer; a reply naming another request is not ours.
        const replyId = (event.data as { requestId?: unknown } | null)?.requestId;
        if (replyId !== undefined && replyId !== requestId) return;
        const data = event.data as {
          action?: unknown;
          result?: unknown;
          code?: unknown;
          message?: unknown;
          details?: unknown;
        };
        if (data?.action === `${name}-ack`) {
          acked = true;
          clearTimeout(ackTimer);
        } else if (data?.action === `${name}-success`) {
          finish(() => resolve(data.result as PageReply<A>));
        } else if (data?.action === `${name}-failure`) {
          finish(() => reject(pageError(data)));
        }
      };
      const ackTimer = setTimeout(() => {
        if (!acked)
          finish(() =>
            reject(
              new CardBridgeError('ERR_EXTENSION_UNAVAILABLE', 'the CardBridge extension did not answer'),
            ),
          );
      }, ackTimeoutMs);
      const userTimer = setTimeout(
        () => finish(() => reject(new CardBridgeError('ERR_TIMEOUT', `${action} timed out`))),
        userTimeoutMs,
      );
      target.addEventListener('message', onMessage);
      try {
        target.postMessage({ ...payload, action: name, requestId }, target.location.origin);
      } catch (error) {
        // A payload that cannot be cloned: fail this call and free the action at once.
        finish(() => reject(new CardBridgeError('ERR_BAD_REQUEST', (error as Error).message)));
      }
    });
  }

  return {
    status: () => request('status'),
    readNhiCard: () => request('read-nhi-card'),
    authenticate: (challengeNonce) => request('authenticate', { challengeNonce }),
    sign: (signRequest) => request('sign', { ...signRequest }),
    request,
  };
}
