/**
 * What the PKCS#11 worker needs from a module, whichever binding calls it (koffi FFI or graphene).
 * Failures carry the module's CK_RV as a numeric `code`, which ckr.ts maps to protocol errors.
 */
import type { HashName } from '../types.ts';

export type ObjectKind = 'certificate' | 'publicKey' | 'privateKey';

export type SignMechanism =
  { name: 'RSA_PKCS' } | { name: 'RSA_PKCS_PSS'; hash: HashName; saltLength: number } | { name: 'ECDSA' };

export interface Pkcs11TokenInfo {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  /** CK_TOKEN_INFO.flags (PIN state, PIN-pad, initialised). */
  flags: number;
}

export interface Pkcs11Object {
  /** CKA_ID: ties a certificate to its key. */
  readonly id: Buffer;
  /** CKA_VALUE (a certificate's DER). */
  value(): Buffer;
}

export interface Pkcs11Session {
  find(kind: ObjectKind, id?: Buffer): Pkcs11Object[];
  /** `null` lets a PIN-pad reader take the PIN itself. */
  login(pin: string | null): void;
  logout(): void;
  sign(mechanism: SignMechanism, key: Pkcs11Object, data: Buffer): Buffer;
  close(): void;
}

export interface Pkcs11Slot {
  /** Position in the module's list of slots with a token. */
  readonly index: number;
  readonly description: string;
  token(): Pkcs11TokenInfo;
  /** The token's serial alone (the same C_GetTokenInfo, nothing else decoded): the check made
   * before every PIN, which must be fresh and cheap. */
  serial(): string;
  open(): Pkcs11Session;
}

export interface Pkcs11Module {
  /** Slots with a token present, in the module's order. */
  slots(): Pkcs11Slot[];
  finalize(): void;
}

/** Loads and initialises a module; throws (with a CK_RV `code` when the module gave one). */
export type Pkcs11Loader = (modulePath: string) => Pkcs11Module;

/** A failure that carries the module's CK_RV. */
export function ckrError(call: string, rv: number): Error {
  return Object.assign(new Error(`${call} returned CKR 0x${rv.toString(16)}`), { code: rv });
}
