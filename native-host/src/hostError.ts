/** An error that carries a protocol error code; anything else thrown becomes ERR_INTERNAL. */
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/protocol/errors.ts';
import type { ErrorBody } from '../../shared/protocol/messages.ts';

export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Technical detail for logs and developers; never personal data or PINs. */
    readonly reason?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(reason ?? ERROR_MESSAGES[code].en);
    this.name = 'HostError';
  }
}

export function toErrorBody(error: unknown): ErrorBody {
  const code: ErrorCode = error instanceof HostError ? error.code : 'ERR_INTERNAL';
  const body: ErrorBody = { code, message: ERROR_MESSAGES[code].en };
  if (error instanceof HostError && error.details) body.details = error.details;
  return body;
}
