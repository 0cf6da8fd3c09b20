/** What the rest of the host sees of certificate tokens (PKCS#11 slots and PKCS#12 files). */
import type { HashName } from '../../../shared/crypto/hashes.ts';
import type { SignatureSchemeName as SignatureScheme } from '../../../shared/crypto/signatureAlgorithms.ts';
import type { ErrorCode } from '../../../shared/protocol/errors.ts';

export type TokenKind = 'pkcs11' | 'pkcs12';

export interface TokenInfo {
  kind: TokenKind;
  /** The PKCS#11 module path, or the PKCS#12 file path. */
  source: string;
  label: string;
  serial: string;
  manufacturer?: string;
  model?: string;
  /** Slot description, which for smart-card readers is the PC/SC reader name. */
  slotDescription?: string;
  /** Protected authentication path: the PIN is entered on the reader's keypad. */
  pinpad: boolean;
}

export interface TokenCertificate {
  token: TokenInfo;
  certificate: Buffer;
  /** Links the certificate to its private key inside the token (CKA_ID, or the file's key index). */
  keyId: string;
  hasPrivateKey: boolean;
}

export type { HashName, SignatureScheme };

export interface SignInput {
  scheme: SignatureScheme;
  hash: HashName;
  /** The message digest (already hashed by the host). */
  digest: Buffer;
}

/** An error a token reports, already in protocol terms. */
export interface TokenFailure {
  code: ErrorCode;
  reason: string;
  details?: Record<string, unknown>;
}

export interface TokenProvider {
  readonly source: string;
  list(): Promise<{ tokens: TokenInfo[]; certificates: TokenCertificate[] }>;
  /** Logs in with `pin` (none for PIN-pad tokens), signs, logs out. The PIN is never kept. */
  sign(token: TokenInfo, keyId: string, pin: string | undefined, input: SignInput): Promise<Buffer>;
  close(): Promise<void>;
}
