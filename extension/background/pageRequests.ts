/**
 * Requests from web pages (through the content script). The origin is the sender's, as the browser
 * reports it; pages on origins outside the allow-list get ERR_ORIGIN_NOT_ALLOWED and nothing else.
 */
import { ERROR_MESSAGES, isErrorCode } from '../../shared/protocol/errors.ts';
import type { StatusResult } from '../../shared/protocol/messages.ts';
import type { PageRequestMessage, PageResponseMessage } from '../lib/pageProtocol.ts';
import { CardBridgeError, type NativePort } from './nativePort.ts';
import { isOriginAllowed, type OriginSettings } from './originPolicy.ts';

export interface PageRequestContext {
  port: NativePort;
  settings: () => Promise<OriginSettings>;
  extensionVersion: string;
}

export function failure(error: unknown): PageResponseMessage {
  if (error instanceof CardBridgeError) {
    return {
      ok: false,
      error: {
        code: error.code,
        message: ERROR_MESSAGES[error.code]?.en ?? error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    };
  }
  return { ok: false, error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en } };
}

export function isPageRequest(message: unknown): message is PageRequestMessage {
  const m = message as Partial<PageRequestMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'cardbridge/page-request' &&
    typeof m.action === 'string' &&
    typeof m.payload === 'object' &&
    m.payload !== null &&
    !Array.isArray(m.payload)
  );
}

export async function handlePageRequest(
  message: PageRequestMessage,
  senderOrigin: string | undefined,
  context: PageRequestContext,
): Promise<PageResponseMessage> {
  try {
    if (!senderOrigin || !isOriginAllowed(senderOrigin, await context.settings())) {
      throw new CardBridgeError(
        'ERR_ORIGIN_NOT_ALLOWED',
        `${senderOrigin ?? 'unknown origin'} is not allowed`,
      );
    }
    switch (message.action) {
      case 'status': {
        const status = await context.port.request<StatusResult>('status');
        return { ok: true, result: { ...status, extensionVersion: context.extensionVersion } };
      }
      default:
        // Card operations that need the prompt window (consent, certificate choice, PIN) are not
        // in this build yet: say so with a code instead of pretending.
        throw new CardBridgeError(
          'ERR_UNKNOWN_COMMAND',
          `${message.action} is not available in this version`,
        );
    }
  } catch (error) {
    if (error instanceof CardBridgeError && !isErrorCode(error.code))
      return failure(new CardBridgeError('ERR_INTERNAL', error.message));
    return failure(error);
  }
}
