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
import type { NhiBasicData, StatusResult } from '../../shared/protocol/messages.ts';
import { ACTION_PREFIX, type PageAction } from '../lib/pageProtocol.ts';

export class CardBridgeError extends Error {
  constructor(
    /** One of the documented ERR_… codes (ErrorCode), kept a string for codes newer than this library. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CardBridgeError';
  }
}

export interface CardBridgeOptions {
  /** The window to talk through (tests pass their own). */
  target?: Window;
  ackTimeoutMs?: number;
  /** How long a clerk may take in the prompt (PIN, certificate choice). */
  userTimeoutMs?: number;
}

export interface StatusPageResult extends StatusResult {
  extensionVersion: string;
}

export interface AuthTokenResult {
  format: 'web-eid:1.0';
  unverifiedCertificate: string;
  algorithm: string;
  signature: string;
  appVersion: string;
}

export interface SignRequest {
  /** base64 digest of the document, computed by the page. */
  hash: string;
  hashFunction: 'SHA-256' | 'SHA-384' | 'SHA-512';
  format: 'raw' | 'cms';
  /** Shown to the clerk in the prompt. */
  documentName?: string;
}

export interface CardBridge {
  status(): Promise<StatusPageResult>;
  /** The NHI card's basic data; the clerk is asked once per site. */
  readNhiCard(): Promise<NhiBasicData>;
  /** A web-eid:1.0 authentication token for the nonce your server issued. */
  authenticate(challengeNonce: string): Promise<AuthTokenResult>;
  sign(
    request: SignRequest,
  ): Promise<{ signature: string; algorithm: string } | { cms: string; algorithm: string }>;
  /** Lower-level: any action, for actions newer than this library. */
  request<T>(action: PageAction, payload?: Record<string, unknown>): Promise<T>;
}

export function createCardBridge(options: CardBridgeOptions = {}): CardBridge {
  const target = options.target ?? window;
  const ackTimeoutMs = options.ackTimeoutMs ?? 1_000;
  const userTimeoutMs = options.userTimeoutMs ?? 120_000;
  const pending = new Set<PageAction>();

  function request<T>(action: PageAction, payload: Record<string, unknown> = {}): Promise<T> {
    if (pending.has(action)) {
      return Promise.reject(new CardBridgeError('ERR_ACTION_PENDING', `${action} is already in progress`));
    }
    pending.add(action);
    const name = `${ACTION_PREFIX}${action}`;
    const requestId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return new Promise<T>((resolve, reject) => {
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
          finish(() => resolve(data.result as T));
        } else if (data?.action === `${name}-failure`) {
          finish(() =>
            reject(
              new CardBridgeError(
                String(data.code),
                String(data.message),
                data.details as Record<string, unknown> | undefined,
              ),
            ),
          );
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
    status: () => request<StatusPageResult>('status'),
    readNhiCard: () => request<NhiBasicData>('read-nhi-card'),
    authenticate: (challengeNonce) => request<AuthTokenResult>('authenticate', { challengeNonce }),
    sign: (signRequest) => request('sign', { ...signRequest }),
    request,
  };
}
