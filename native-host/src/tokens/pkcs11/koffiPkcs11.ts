/**
 * A PKCS#11 module called through koffi (FFI): the only file that knows the C_* signatures and the
 * CK_* struct layouts. CK_ULONG is C `unsigned long` (8 bytes on Linux/macOS x64, 4 on Windows), and
 * on Windows the structs are packed to 1 byte (PKCS#11 §2.1). Calls are synchronous: the worker is
 * its own process and does one thing at a time.
 */
import { loadKoffi, type Koffi } from '../../ffi/loadKoffi.ts';
import { HASHES } from '../../../../shared/crypto/hashes.ts';
import {
  ckrError,
  type ObjectKind,
  type Pkcs11Module,
  type Pkcs11Object,
  type Pkcs11Session,
  type Pkcs11Slot,
  type Pkcs11TokenInfo,
  type SignMechanism,
} from './binding.ts';

// prettier-ignore
const CK = {
  CKA_CLASS: 0x0, CKA_VALUE: 0x11, CKA_ID: 0x102, CKU_USER: 1, CKF_SERIAL_SESSION: 0x4,
  CKM_RSA_PKCS: 0x1, CKM_RSA_PKCS_PSS: 0xd, CKM_ECDSA: 0x1041,
  CKR_OK: 0, CKR_BUFFER_TOO_SMALL: 0x150, CKR_USER_NOT_LOGGED_IN: 0x101,
} as const;
const OBJECT_CLASS: Record<ObjectKind, number> = { certificate: 1, publicKey: 2, privateKey: 3 };
// prettier-ignore
/** Positions in CK_FUNCTION_LIST (PKCS#11 2.40 pkcs11f.h order) of the functions used here. */
// prettier-ignore
const FUNCTION_INDEX = {
  C_Initialize: 0, C_Finalize: 1, C_GetSlotList: 4, C_GetSlotInfo: 5, C_GetTokenInfo: 6,
  C_OpenSession: 12, C_CloseSession: 13, C_Login: 18, C_Logout: 19, C_GetAttributeValue: 24,
  C_FindObjectsInit: 26, C_FindObjects: 27, C_FindObjectsFinal: 28, C_SignInit: 42, C_Sign: 43,
} as const;
const FUNCTION_COUNT = 44;
/** Slot ids offered to C_GetSlotList at first (more readers than this cost one more call). */
const SLOT_ROOM = 16;
/** Bytes offered to C_Sign at first: an RSA-8192 signature. */
const SIGNATURE_ROOM = 1024;
/** Objects fetched per C_FindObjects call. */
const FIND_BATCH = 32;

type Fn = (...args: unknown[]) => number;
interface Attribute {
  type: number;
  pValue: Buffer | null;
  ulValueLen: number;
}

interface Cryptoki {
  /** Held so the module stays loaded while its functions are in use. */
  library: unknown;
  ulongSize: number;
  /** CKA_CLASS values as CK_ULONG bytes, made once (the module copies a template, §5.2). */
  classValues: Record<ObjectKind, Buffer>;
  C_Initialize: Fn;
  C_Finalize: Fn;
  C_GetSlotList: Fn;
  C_GetSlotInfo: Fn;
  C_GetTokenInfo: Fn;
  /** C_GetTokenInfo into a plain buffer: only the serial is read from it. */
  C_GetTokenInfoRaw: Fn;
  tokenInfoSize: number;
  serialOffset: number;
  C_OpenSession: Fn;
  C_CloseSession: Fn;
  C_Login: Fn;
  C_Logout: Fn;
  C_FindObjectsInit: Fn;
  C_FindObjects: Fn;
  C_FindObjectsFinal: Fn;
  C_GetAttributeValue: Fn;
  C_SignInit: Fn;
  C_Sign: Fn;
}

function declare(modulePath: string, koffi: Koffi): Cryptoki {
  const UL = 'unsigned long';
  const struct = process.platform === 'win32' ? koffi.pack.bind(koffi) : koffi.struct.bind(koffi);
  const bytes = (n: number) => koffi.array('uint8_t', n, 'Typed');
  const version = struct({ major: 'uint8_t', minor: 'uint8_t' });
  const slotInfo = struct({
    slotDescription: bytes(64),
    manufacturerID: bytes(32),
    flags: UL,
    hardwareVersion: version,
    firmwareVersion: version,
  });
  const tokenInfo = struct({
    label: bytes(32),
    manufacturerID: bytes(32),
    model: bytes(16),
    serialNumber: bytes(16),
    flags: UL,
    ulMaxSessionCount: UL,
    ulSessionCount: UL,
    ulMaxRwSessionCount: UL,
    ulRwSessionCount: UL,
    ulMaxPinLen: UL,
    ulMinPinLen: UL,
    ulTotalPublicMemory: UL,
    ulFreePublicMemory: UL,
    ulTotalPrivateMemory: UL,
    ulFreePrivateMemory: UL,
    hardwareVersion: version,
    firmwareVersion: version,
    utcTime: bytes(16),
  });
  const attribute = struct({ type: UL, pValue: 'void *', ulValueLen: UL });
  const mechanism = struct({ mechanism: UL, pParameter: 'void *', ulParameterLen: UL });
  // Every function comes from the module's CK_FUNCTION_LIST: some modules export nothing else.
  const lib = koffi.load(modulePath);
  const getFunctionList = lib.func('C_GetFunctionList', UL, [koffi.out(koffi.pointer('void *'))]) as Fn;
  const listPointer: unknown[] = [null];
  check('C_GetFunctionList', getFunctionList(listPointer));
  const functionList = struct({ version, functions: koffi.array('void *', FUNCTION_COUNT, 'Array') });
  const { functions } = koffi.decode(listPointer[0], functionList) as { functions: unknown[] };
  const fn = (name: keyof typeof FUNCTION_INDEX, args: unknown[]): Fn =>
    koffi.decode(functions[FUNCTION_INDEX[name]], koffi.proto(UL, args as never)) as Fn;
  const out = (type: unknown) => koffi.out(koffi.pointer(type as never));
  const inout = (type: unknown) => koffi.inout(koffi.pointer(type as never));
  const ulongSize = koffi.sizeof(UL);
  const classValue = (kind: ObjectKind) => ulongs(ulongSize, [OBJECT_CLASS[kind]]);
  return {
    library: lib,
    ulongSize,
    classValues: {
      certificate: classValue('certificate'),
      publicKey: classValue('publicKey'),
      privateKey: classValue('privateKey'),
    },
    tokenInfoSize: koffi.sizeof(tokenInfo),
    serialOffset: koffi.offsetof(tokenInfo, 'serialNumber'),
    C_Initialize: fn('C_Initialize', ['void *']),
    C_Finalize: fn('C_Finalize', ['void *']),
    C_GetSlotList: fn('C_GetSlotList', ['uint8_t', out(UL), inout(UL)]),
    C_GetSlotInfo: fn('C_GetSlotInfo', [UL, out(slotInfo)]),
    C_GetTokenInfo: fn('C_GetTokenInfo', [UL, out(tokenInfo)]),
    C_GetTokenInfoRaw: fn('C_GetTokenInfo', [UL, 'uint8_t *']),
    C_OpenSession: fn('C_OpenSession', [UL, UL, 'void *', 'void *', out(UL)]),
    C_CloseSession: fn('C_CloseSession', [UL]),
    C_Login: fn('C_Login', [UL, UL, 'const uint8_t *', UL]),
    C_Logout: fn('C_Logout', [UL]),
    C_FindObjectsInit: fn('C_FindObjectsInit', [UL, koffi.pointer(attribute), UL]),
    C_FindObjects: fn('C_FindObjects', [UL, out(UL), UL, out(UL)]),
    C_FindObjectsFinal: fn('C_FindObjectsFinal', [UL]),
    C_GetAttributeValue: fn('C_GetAttributeValue', [UL, UL, inout(attribute), UL]),
    C_SignInit: fn('C_SignInit', [UL, koffi.pointer(mechanism), UL]),
    C_Sign: fn('C_Sign', [UL, 'const uint8_t *', UL, 'uint8_t *', inout(UL)]),
  };
}

function check(call: string, rv: number): void {
  if (rv !== CK.CKR_OK) throw ckrError(call, rv);
}

/** Fixed-width, blank-padded UTF-8 text of CK_TOKEN_INFO and CK_SLOT_INFO. */
function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8').trim();
}

/** CK_ULONG values as bytes, for attribute and mechanism parameters. */
function ulongs(ulongSize: number, values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * ulongSize);
  values.forEach((value, i) =>
    ulongSize === 8 ? buffer.writeBigUInt64LE(BigInt(value), i * 8) : buffer.writeUInt32LE(value, i * 4),
  );
  return buffer;
}

export function openKoffiPkcs11(modulePath: string): Pkcs11Module {
  const api = declare(modulePath, loadKoffi());
  check('C_Initialize', api.C_Initialize(null));
  return {
    slots(): Pkcs11Slot[] {
      // Asked every time, never remembered: this call is where modules notice a card pulled out or
      // swapped. One call with room for SLOT_ROOM slots; a module with more says how many (§5.2).
      let ids = new Array<number>(SLOT_ROOM).fill(0);
      const count = [ids.length];
      let rv = api.C_GetSlotList(1, ids, count);
      if (rv === CK.CKR_BUFFER_TOO_SMALL) {
        ids = new Array<number>(count[0]!).fill(0);
        rv = api.C_GetSlotList(1, ids, count);
      }
      check('C_GetSlotList', rv);
      return ids.slice(0, count[0]).map((id, index) => new KoffiSlot(api, id, index));
    },
    finalize(): void {
      check('C_Finalize', api.C_Finalize(null));
    },
  };
}

class KoffiSlot implements Pkcs11Slot {
  private cachedDescription: string | undefined;

  constructor(
    private readonly api: Cryptoki,
    private readonly id: number,
    readonly index: number,
  ) {}

  /** Read when asked: only listings show it, signing needs only the token. */
  get description(): string {
    if (this.cachedDescription === undefined) {
      const info: { slotDescription?: Uint8Array } = {};
      check('C_GetSlotInfo', this.api.C_GetSlotInfo(this.id, info));
      this.cachedDescription = text(info.slotDescription ?? new Uint8Array());
    }
    return this.cachedDescription;
  }

  token(): Pkcs11TokenInfo {
    const info: Record<string, Uint8Array | number> = {};
    check('C_GetTokenInfo', this.api.C_GetTokenInfo(this.id, info));
    return {
      label: text(info.label as Uint8Array),
      serial: text(info.serialNumber as Uint8Array),
      manufacturer: text(info.manufacturerID as Uint8Array),
      model: text(info.model as Uint8Array),
      flags: Number(info.flags),
    };
  }

  /** Decoding the whole CK_TOKEN_INFO into an object cost a cold worker ~70 µs more than this. */
  serial(): string {
    const info = Buffer.alloc(this.api.tokenInfoSize);
    check('C_GetTokenInfo', this.api.C_GetTokenInfoRaw(this.id, info));
    return text(info.subarray(this.api.serialOffset, this.api.serialOffset + 16));
  }

  open(): Pkcs11Session {
    const handle = [0];
    check('C_OpenSession', this.api.C_OpenSession(this.id, CK.CKF_SERIAL_SESSION, null, null, handle));
    return new KoffiSession(this.api, handle[0]!);
  }
}

class KoffiObject implements Pkcs11Object {
  private cachedId: Buffer | undefined;

  constructor(
    private readonly session: KoffiSession,
    readonly handle: number,
  ) {}

  /** Read when asked: a key found by its CKA_ID to sign with needs no second look at it. */
  get id(): Buffer {
    return (this.cachedId ??= this.session.attribute(this.handle, CK.CKA_ID));
  }

  value(): Buffer {
    return this.session.attribute(this.handle, CK.CKA_VALUE);
  }
}

class KoffiSession implements Pkcs11Session {
  constructor(
    private readonly api: Cryptoki,
    private readonly handle: number,
  ) {}

  find(kind: ObjectKind, id?: Buffer): Pkcs11Object[] {
    const template: Attribute[] = [
      { type: CK.CKA_CLASS, pValue: this.api.classValues[kind], ulValueLen: this.api.ulongSize },
    ];
    if (id) template.push({ type: CK.CKA_ID, pValue: id, ulValueLen: id.length });
    check('C_FindObjectsInit', this.api.C_FindObjectsInit(this.handle, template, template.length));
    const handles: number[] = [];
    try {
      for (;;) {
        const batch = new Array<number>(FIND_BATCH).fill(0);
        const found = [0];
        check('C_FindObjects', this.api.C_FindObjects(this.handle, batch, FIND_BATCH, found));
        handles.push(...batch.slice(0, found[0]));
        if (found[0]! < FIND_BATCH) break;
      }
    } finally {
      this.api.C_FindObjectsFinal(this.handle);
    }
    return handles.map((h) => new KoffiObject(this, h));
  }

  /** One attribute's bytes: ask its length, then its value. */
  attribute(object: number, type: number): Buffer {
    const probe: Attribute[] = [{ type, pValue: null, ulValueLen: 0 }];
    check('C_GetAttributeValue', this.api.C_GetAttributeValue(this.handle, object, probe, 1));
    const value = Buffer.alloc(Number(probe[0]!.ulValueLen));
    const template: Attribute[] = [{ type, pValue: value, ulValueLen: value.length }];
    check('C_GetAttributeValue', this.api.C_GetAttributeValue(this.handle, object, template, 1));
    return value.subarray(0, Number(template[0]!.ulValueLen));
  }

  login(pin: string | null): void {
    const secret = pin === null ? null : Buffer.from(pin, 'utf8');
    try {
      check('C_Login', this.api.C_Login(this.handle, CK.CKU_USER, secret, secret?.length ?? 0));
    } finally {
      secret?.fill(0); // the PIN's bytes do not outlive the call
    }
  }

  logout(): void {
    const rv = this.api.C_Logout(this.handle);
    if (rv !== CK.CKR_USER_NOT_LOGGED_IN) check('C_Logout', rv);
  }

  sign(mechanism: SignMechanism, key: Pkcs11Object, data: Buffer): Buffer {
    if (!(key instanceof KoffiObject)) throw new Error('key from another PKCS#11 binding');
    check('C_SignInit', this.api.C_SignInit(this.handle, this.mechanism(mechanism), key.handle));
    // One call with room for any key up to RSA-8192; a module that needs more says how much
    // (CKR_BUFFER_TOO_SMALL leaves the operation active, PKCS#11 2.40 §5.2) and is asked again.
    let signature = Buffer.alloc(SIGNATURE_ROOM);
    const length = [signature.length];
    let rv = this.api.C_Sign(this.handle, data, data.length, signature, length);
    if (rv === CK.CKR_BUFFER_TOO_SMALL) {
      signature = Buffer.alloc(length[0]!);
      rv = this.api.C_Sign(this.handle, data, data.length, signature, length);
    }
    check('C_Sign', rv);
    return signature.subarray(0, length[0]);
  }

  close(): void {
    check('C_CloseSession', this.api.C_CloseSession(this.handle));
  }

  private mechanism(mechanism: SignMechanism) {
    switch (mechanism.name) {
      case 'RSA_PKCS':
        return { mechanism: CK.CKM_RSA_PKCS, pParameter: null, ulParameterLen: 0 };
      case 'ECDSA':
        return { mechanism: CK.CKM_ECDSA, pParameter: null, ulParameterLen: 0 };
      case 'RSA_PKCS_PSS': {
        const { pkcs11Mechanism: hashAlg, pkcs11Mgf: mgf } = HASHES[mechanism.hash];
        // CK_RSA_PKCS_PSS_PARAMS: three CK_ULONGs, so no padding on any platform.
        const params = ulongs(this.api.ulongSize, [hashAlg, mgf, mechanism.saltLength]);
        return { mechanism: CK.CKM_RSA_PKCS_PSS, pParameter: params, ulParameterLen: params.length };
      }
    }
  }
}
