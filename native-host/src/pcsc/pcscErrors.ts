/**
 * Maps PC/SC return codes (SCARD_E_* / SCARD_W_*) found in binding error messages to protocol
 * error codes. Values are the same on pcsc-lite, macOS and Windows (winscard.h).
 */
import type { ErrorCode } from '../../../shared/protocol/errors.ts';
import { HostError } from '../hostError.ts';

// prettier-ignore
const SCARD_CODES: ReadonlyArray<readonly [number, string, ErrorCode]> = [
  [0x8010001d, 'SCARD_E_NO_SERVICE', 'ERR_PCSC_UNAVAILABLE'],
  [0x8010001e, 'SCARD_E_SERVICE_STOPPED', 'ERR_PCSC_UNAVAILABLE'],
  [0x80100002, 'SCARD_E_CANCELLED', 'ERR_PCSC_UNAVAILABLE'],
  [0x80100003, 'SCARD_E_INVALID_HANDLE', 'ERR_CARD_REMOVED'],
  [0x8010002e, 'SCARD_E_NO_READERS_AVAILABLE', 'ERR_NO_READER'],
  [0x80100009, 'SCARD_E_UNKNOWN_READER', 'ERR_READER_NOT_FOUND'],
  [0x80100017, 'SCARD_E_READER_UNAVAILABLE', 'ERR_READER_NOT_FOUND'],
  [0x8010000c, 'SCARD_E_NO_SMARTCARD', 'ERR_NO_CARD'],
  [0x80100069, 'SCARD_W_REMOVED_CARD', 'ERR_CARD_REMOVED'],
  [0x80100068, 'SCARD_W_RESET_CARD', 'ERR_CARD_REMOVED'],
  [0x80100067, 'SCARD_W_UNPOWERED_CARD', 'ERR_CARD_IO'],
  [0x80100066, 'SCARD_W_UNRESPONSIVE_CARD', 'ERR_CARD_IO'],
  [0x80100065, 'SCARD_W_UNSUPPORTED_CARD', 'ERR_UNSUPPORTED_CARD'],
  [0x8010000b, 'SCARD_E_SHARING_VIOLATION', 'ERR_CARD_BUSY'],
  [0x8010000f, 'SCARD_E_PROTO_MISMATCH', 'ERR_CARD_IO'],
  [0x80100016, 'SCARD_E_NOT_TRANSACTED', 'ERR_CARD_IO'],
  [0x8010000a, 'SCARD_E_TIMEOUT', 'ERR_TIMEOUT'],
  [0x80100014, 'SCARD_F_UNKNOWN_ERROR', 'ERR_CARD_IO'],
];

export interface ScardInfo {
  value: number;
  name: string;
  code: ErrorCode;
}

/** Finds the SCARD return code in a binding's error message ("… (0x8010000c)"). */
export function scardInfo(error: unknown): ScardInfo | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = /0x([0-9a-f]{8})/i.exec(message);
  if (!match) return undefined;
  const value = parseInt(match[1]!, 16);
  const entry = SCARD_CODES.find(([v]) => v === value);
  return entry
    ? { value, name: entry[1], code: entry[2] }
    : { value, name: `0x${match[1]}`, code: 'ERR_CARD_IO' };
}

/** Converts a binding error into a HostError with the matching protocol code. */
export function toHostError(error: unknown, fallback: ErrorCode = 'ERR_CARD_IO'): HostError {
  if (error instanceof HostError) return error;
  const info = scardInfo(error);
  const message = error instanceof Error ? error.message : String(error);
  return new HostError(info?.code ?? fallback, message, info ? { scard: info.name } : undefined);
}

/** True when the error means the PC/SC service itself is gone (restart the context). */
export function isServiceLost(error: unknown): boolean {
  return scardInfo(error)?.code === 'ERR_PCSC_UNAVAILABLE';
}
