/** PKCS#11 return values the host tells apart, mapped to protocol errors. */
import type { TokenFailure } from '../types.ts';

// prettier-ignore
export const CKR = {
  CANCEL: 0x01, FUNCTION_CANCELED: 0x50, DEVICE_ERROR: 0x30, DEVICE_REMOVED: 0x32,
  PIN_INCORRECT: 0xa0, PIN_INVALID: 0xa1, PIN_LEN_RANGE: 0xa2, PIN_EXPIRED: 0xa3, PIN_LOCKED: 0xa4,
  SESSION_HANDLE_INVALID: 0xb3, TOKEN_NOT_PRESENT: 0xe0, TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100, USER_NOT_LOGGED_IN: 0x101, USER_PIN_NOT_INITIALIZED: 0x102,
} as const;

/** Token flags that tell how many PIN tries are left (PKCS#11 2.40 §4.3). */
export const TOKEN_FLAG = {
  PROTECTED_AUTHENTICATION_PATH: 0x100,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_COUNT_LOW: 0x10000,
  USER_PIN_FINAL_TRY: 0x20000,
  USER_PIN_LOCKED: 0x40000,
} as const;

/** What the flags say about the PIN tries left, as far as a token reports it. */
export function pinRetryDetails(flags: number): Record<string, unknown> {
  if (flags & TOKEN_FLAG.USER_PIN_FINAL_TRY) return { retriesLeft: 1 };
  if (flags & TOKEN_FLAG.USER_PIN_COUNT_LOW) return { retriesLow: true };
  return {};
}

export function failureFromCkr(code: number | undefined, reason: string, tokenFlags = 0): TokenFailure {
  switch (code) {
    case CKR.PIN_INCORRECT:
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      if (tokenFlags & TOKEN_FLAG.USER_PIN_LOCKED) return { code: 'ERR_PIN_LOCKED', reason };
      return { code: 'ERR_PIN_INCORRECT', reason, details: pinRetryDetails(tokenFlags) };
    case CKR.PIN_LOCKED:
    case CKR.PIN_EXPIRED:
      return { code: 'ERR_PIN_LOCKED', reason };
    case CKR.CANCEL:
    case CKR.FUNCTION_CANCELED:
      return { code: 'ERR_USER_CANCELLED', reason };
    case CKR.DEVICE_REMOVED:
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.SESSION_HANDLE_INVALID:
      return { code: 'ERR_CARD_REMOVED', reason };
    default:
      return { code: 'ERR_TOKEN_UNAVAILABLE', reason };
  }
}
