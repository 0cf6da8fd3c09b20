/**
 * PKCS#11 return values (CKR_*) and token flags mapped to protocol errors: what a clerk is told after
 * a wrong PIN, a locked card, a cancelled PIN-pad entry or a pulled card.
 */
import { describe, expect, it } from 'vitest';
import { CKR, failureFromCkr, pinRetryDetails, TOKEN_FLAG } from '../../native-host/src/tokens/pkcs11/ckr.ts';

describe('CKR and TOKEN_FLAG constants', () => {
  it('hold the PKCS#11 2.40 values', () => {
    expect(CKR).toMatchObject({
      CANCEL: 0x01,
      FUNCTION_CANCELED: 0x50,
      DEVICE_REMOVED: 0x32,
      PIN_INCORRECT: 0xa0,
      PIN_INVALID: 0xa1,
      PIN_LEN_RANGE: 0xa2,
      PIN_EXPIRED: 0xa3,
      PIN_LOCKED: 0xa4,
      SESSION_HANDLE_INVALID: 0xb3,
      TOKEN_NOT_PRESENT: 0xe0,
    });
    expect(TOKEN_FLAG).toEqual({
      PROTECTED_AUTHENTICATION_PATH: 0x100,
      TOKEN_INITIALIZED: 0x400,
      USER_PIN_COUNT_LOW: 0x10000,
      USER_PIN_FINAL_TRY: 0x20000,
      USER_PIN_LOCKED: 0x40000,
    });
  });
});

describe('failureFromCkr: wrong PIN', () => {
  const wrongPin = [
    ['PIN_INCORRECT', CKR.PIN_INCORRECT],
    ['PIN_INVALID', CKR.PIN_INVALID],
    ['PIN_LEN_RANGE', CKR.PIN_LEN_RANGE],
  ] as const;

  it.each(wrongPin)('%s without retry flags → ERR_PIN_INCORRECT with empty details', (_name, code) => {
    expect(failureFromCkr(code, 'C_Login failed')).toEqual({
      code: 'ERR_PIN_INCORRECT',
      reason: 'C_Login failed',
      details: {},
    });
  });

  it.each(wrongPin)('%s on the final try → retriesLeft 1', (_name, code) => {
    expect(failureFromCkr(code, 'r', TOKEN_FLAG.USER_PIN_FINAL_TRY)).toEqual({
      code: 'ERR_PIN_INCORRECT',
      reason: 'r',
      details: { retriesLeft: 1 },
    });
  });

  it.each(wrongPin)('%s with a low count → retriesLow', (_name, code) => {
    expect(failureFromCkr(code, 'r', TOKEN_FLAG.USER_PIN_COUNT_LOW)).toEqual({
      code: 'ERR_PIN_INCORRECT',
      reason: 'r',
      details: { retriesLow: true },
    });
  });

  it.each(wrongPin)('%s when the token now reports the PIN locked → ERR_PIN_LOCKED', (_name, code) => {
    const failure = failureFromCkr(code, 'r', TOKEN_FLAG.USER_PIN_LOCKED | TOKEN_FLAG.USER_PIN_FINAL_TRY);
    expect(failure.code).toBe('ERR_PIN_LOCKED');
    expect(failure.reason).toBe('r');
  });

  it('final try wins over count low when both flags are set', () => {
    const flags = TOKEN_FLAG.USER_PIN_FINAL_TRY | TOKEN_FLAG.USER_PIN_COUNT_LOW;
    expect(failureFromCkr(CKR.PIN_INCORRECT, 'r', flags).details).toEqual({ retriesLeft: 1 });
  });

  it('ignores unrelated token flags (PIN-pad, initialised)', () => {
    const flags = TOKEN_FLAG.PROTECTED_AUTHENTICATION_PATH | TOKEN_FLAG.TOKEN_INITIALIZED;
    expect(failureFromCkr(CKR.PIN_INCORRECT, 'r', flags)).toEqual({
      code: 'ERR_PIN_INCORRECT',
      reason: 'r',
      details: {},
    });
  });
});

describe('failureFromCkr: other codes', () => {
  it.each([
    ['PIN_LOCKED', CKR.PIN_LOCKED, 'ERR_PIN_LOCKED'],
    ['PIN_EXPIRED', CKR.PIN_EXPIRED, 'ERR_PIN_LOCKED'],
    ['CANCEL (PIN-pad cancel)', CKR.CANCEL, 'ERR_USER_CANCELLED'],
    ['FUNCTION_CANCELED (PIN-pad cancel)', CKR.FUNCTION_CANCELED, 'ERR_USER_CANCELLED'],
    ['DEVICE_REMOVED', CKR.DEVICE_REMOVED, 'ERR_CARD_REMOVED'],
    ['TOKEN_NOT_PRESENT', CKR.TOKEN_NOT_PRESENT, 'ERR_CARD_REMOVED'],
    ['SESSION_HANDLE_INVALID', CKR.SESSION_HANDLE_INVALID, 'ERR_CARD_REMOVED'],
    ['DEVICE_ERROR', CKR.DEVICE_ERROR, 'ERR_TOKEN_UNAVAILABLE'],
    ['TOKEN_NOT_RECOGNIZED', CKR.TOKEN_NOT_RECOGNIZED, 'ERR_TOKEN_UNAVAILABLE'],
    ['an unknown code', 0x12345, 'ERR_TOKEN_UNAVAILABLE'],
    ['undefined (not a PKCS#11 error)', undefined, 'ERR_TOKEN_UNAVAILABLE'],
  ])('%s → %s, reason kept, no details', (_name, code, expected) => {
    expect(failureFromCkr(code, 'why', 0)).toEqual({ code: expected, reason: 'why' });
  });

  it('does not add retry details to non-PIN failures even when retry flags are set', () => {
    const flags = TOKEN_FLAG.USER_PIN_FINAL_TRY;
    expect(failureFromCkr(CKR.PIN_LOCKED, 'r', flags)).toEqual({ code: 'ERR_PIN_LOCKED', reason: 'r' });
    expect(failureFromCkr(CKR.DEVICE_REMOVED, 'r', flags)).toEqual({ code: 'ERR_CARD_REMOVED', reason: 'r' });
  });
});

describe('pinRetryDetails', () => {
  it('reads the retry flags alone', () => {
    expect(pinRetryDetails(0)).toEqual({});
    expect(pinRetryDetails(TOKEN_FLAG.USER_PIN_COUNT_LOW)).toEqual({ retriesLow: true });
    expect(pinRetryDetails(TOKEN_FLAG.USER_PIN_FINAL_TRY)).toEqual({ retriesLeft: 1 });
  });
});
