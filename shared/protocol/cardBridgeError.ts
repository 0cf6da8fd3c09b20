/**
 * The one error type of CardBridge's browser side: the extension's background raises it for host
 * replies and for what it refuses, and the page library rejects with it. `code` is always one of the
 * documented ERR_… codes (errors.ts).
 */
import type { ErrorCode } from './errors.ts';

export class CardBridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CardBridgeError';
  }
}
