/**
 * Mapping PC/SC return codes embedded in binding messages ("… (0x80100069)") to protocol errors.
 * The numeric values are the winscard.h constants, the same on pcsc-lite, macOS and Windows.
 */
import { describe, expect, it } from 'vitest';
import { HostError } from '../../native-host/src/hostError.ts';
import { isServiceLost, scardInfo, toHostError } from '../../native-host/src/pcsc/pcscErrors.ts';

describe('scardInfo', () => {
  it('parses the code out of a pcsclite transmit error', () => {
    const error = new Error('SCardTransmit error: Card was removed.(0x80100069)');
    expect(scardInfo(error)).toEqual({
      value: 0x80100069,
      name: 'SCARD_W_REMOVED_CARD',
      code: 'ERR_CARD_REMOVED',
    });
  });

  it.each([
    [0x8010001d, 'SCARD_E_NO_SERVICE', 'ERR_PCSC_UNAVAILABLE'],
    [0x8010001e, 'SCARD_E_SERVICE_STOPPED', 'ERR_PCSC_UNAVAILABLE'],
    [0x8010000c, 'SCARD_E_NO_SMARTCARD', 'ERR_NO_CARD'],
    [0x80100009, 'SCARD_E_UNKNOWN_READER', 'ERR_READER_NOT_FOUND'],
    [0x8010002e, 'SCARD_E_NO_READERS_AVAILABLE', 'ERR_NO_READER'],
    [0x8010000b, 'SCARD_E_SHARING_VIOLATION', 'ERR_CARD_BUSY'],
    [0x80100068, 'SCARD_W_RESET_CARD', 'ERR_CARD_REMOVED'],
    [0x8010000a, 'SCARD_E_TIMEOUT', 'ERR_TIMEOUT'],
    [0x80100065, 'SCARD_W_UNSUPPORTED_CARD', 'ERR_UNSUPPORTED_CARD'],
  ])('maps value %i to %s / %s', (value, name, code) => {
    const message = `SCardSomething error: text.(0x${value.toString(16)})`;
    expect(scardInfo(new Error(message))).toEqual({ value, name, code });
  });

  it('accepts upper-case hex and non-Error values', () => {
    expect(scardInfo('failed (0X8010000C)')?.code).toBe('ERR_NO_CARD');
    expect(scardInfo('failed (0x8010000C)')?.code).toBe('ERR_NO_CARD');
  });

  it('maps an unknown code to ERR_CARD_IO and names it by its value', () => {
    expect(scardInfo(new Error('SCardStatus error: odd.(0x80100099)'))).toEqual({
      value: 0x80100099,
      name: '0x80100099',
      code: 'ERR_CARD_IO',
    });
  });

  it('returns undefined when the message has no code', () => {
    expect(scardInfo(new Error('truncated response (0 bytes)'))).toBeUndefined();
    expect(scardInfo(undefined)).toBeUndefined();
    // Fewer than 8 hex digits is not a PC/SC return code.
    expect(scardInfo(new Error('status 0x6a82'))).toBeUndefined();
  });
});

describe('toHostError', () => {
  it('turns a removed-card binding error into ERR_CARD_REMOVED, keeping the text and the SCARD name', () => {
    const error = toHostError(new Error('SCardTransmit error: Card was removed.(0x80100069)'));
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe('ERR_CARD_REMOVED');
    expect(error.reason).toBe('SCardTransmit error: Card was removed.(0x80100069)');
    expect(error.details).toEqual({ scard: 'SCARD_W_REMOVED_CARD' });
  });

  it('uses ERR_CARD_IO for an unknown code', () => {
    const error = toHostError(new Error('weird (0x80100099)'), 'ERR_INTERNAL');
    expect(error.code).toBe('ERR_CARD_IO');
    expect(error.details).toEqual({ scard: '0x80100099' });
  });

  it('uses the fallback (default ERR_CARD_IO) when there is no code', () => {
    expect(toHostError(new Error('something broke')).code).toBe('ERR_CARD_IO');
    const error = toHostError('something broke', 'ERR_TIMEOUT');
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.reason).toBe('something broke');
    expect(error.details).toBeUndefined();
  });

  it('passes a HostError through unchanged', () => {
    const original = new HostError('ERR_NO_CARD', 'no card (0x80100069)');
    expect(toHostError(original)).toBe(original);
  });
});

describe('isServiceLost', () => {
  it.each([
    ['SCardEstablishContext error: Service not available.(0x8010001d)', true],
    ['SCardGetStatusChange error: Service was stopped.(0x8010001e)', true],
    ['SCardTransmit error: Card was removed.(0x80100069)', false],
    ['SCardConnect error: Unknown reader.(0x80100009)', false],
    ['no code at all', false],
  ])('%s → %s', (message, expected) => {
    expect(isServiceLost(new Error(message))).toBe(expected);
  });
});
