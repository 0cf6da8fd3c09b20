/**
 * PcscBackend over the system's own PC/SC library through koffi (FFI): libpcsclite on Linux,
 * winscard.dll on Windows, PCSC.framework on macOS. The only file that knows these C signatures.
 * Blocking calls (waiting for reader changes, connect, transmit) run on koffi's worker threads so
 * the event loop keeps serving native messaging.
 */
import type { CardChannel, PcscBackend, PcscListener } from './backend.ts';
import { loadKoffi, type Koffi } from '../ffi/loadKoffi.ts';

/** Extended APDUs can answer up to 64 KiB + SW. */
const MAX_RESPONSE = 65538;
const SCARD_S_SUCCESS = 0;
const SCARD_E_TIMEOUT = 0x8010000a;
const SCARD_E_UNKNOWN_READER = 0x80100009;
const SCARD_E_READER_UNAVAILABLE = 0x80100017;
const SCARD_E_NO_READERS_AVAILABLE = 0x8010002e;
const SCARD_SCOPE_SYSTEM = 2;
const SCARD_SHARE_SHARED = 2;
const SCARD_PROTOCOL_T0_T1 = 3;
const SCARD_LEAVE_CARD = 0;
const INFINITE = 0xffffffff;
// prettier-ignore
const STATE = { CHANGED: 0x2, UNKNOWN: 0x4, UNAVAILABLE: 0x8, PRESENT: 0x20, MUTE: 0x200 } as const;
/** The pseudo-reader whose state changes when a reader is plugged or unplugged. */
const PNP_READER = '\\\\?PnP?\\Notification';

type Handle = number | bigint;
type Callback<T> = (err: unknown, result: T) => void;
/** A koffi function: called directly, or on a worker thread with `.async(...args, callback)`. */
interface Native<Args extends unknown[]> {
  (...args: Args): number;
  async(...args: [...Args, Callback<number>]): void;
}

interface ReaderStateStruct {
  szReader: string;
  pvUserData: null;
  dwCurrentState: number;
  dwEventState: number;
  cbAtr: number;
  rgbAtr: number[];
}

interface Winscard {
  /** Held so the library stays loaded while its functions are in use. */
  library: unknown;
  establish: Native<[number, null, null, Handle[]]>;
  release: Native<[Handle]>;
  cancel: Native<[Handle]>;
  listReaders: Native<[Handle, null, Buffer | null, number[]]>;
  getStatusChange: Native<[Handle, number, ReaderStateStruct[], number]>;
  connect: Native<[Handle, string, number, number, Handle[], number[]]>;
  disconnect: Native<[Handle, number]>;
  /** The send PCI and the answer length go as Buffers already laid out (see KoffiChannel). */
  transmit: Native<[Handle, Buffer, Buffer, number, null, Buffer, Buffer]>;
  /** sizeof(DWORD): the answer length's size. */
  dwordSize: number;
  /** Lays out the send PCI (SCARD_IO_REQUEST) for a protocol, as the library reads it. */
  encodePci(protocol: number): Buffer;
  atrSize: number;
}

let winscard: Winscard | undefined;

/** Declares the PC/SC functions for this OS. DWORD/LONG are 8 bytes on 64-bit pcsc-lite, 4 elsewhere. */
function openWinscard(koffi: Koffi = loadKoffi()): Winscard {
  if (winscard) return winscard;
  const win = process.platform === 'win32';
  const mac = process.platform === 'darwin';
  const DWORD = win || mac ? 'uint32_t' : 'unsigned long';
  const LONG = win || mac ? 'int32_t' : 'long';
  // SCARDCONTEXT/SCARDHANDLE: ULONG_PTR on Windows, int32 on macOS, long on pcsc-lite.
  const HANDLE = win ? 'uintptr_t' : mac ? 'int32_t' : 'long';
  const atrSize = win ? 36 : 33;
  const lib = koffi.load(
    win ? 'winscard.dll' : mac ? '/System/Library/Frameworks/PCSC.framework/PCSC' : 'libpcsclite.so.1',
  );
  const suffix = win ? 'A' : ''; // Windows has ANSI and UTF-16 variants of the string functions
  // macOS packs these structs to 1 byte (its pcsclite.h); not runnable here, declared from the header.
  const struct = mac ? koffi.pack.bind(koffi) : koffi.struct.bind(koffi);
  const ioRequest = struct({ dwProtocol: DWORD, cbPciLength: DWORD });
  const readerState = struct({
    szReader: 'const char *',
    pvUserData: 'void *',
    dwCurrentState: DWORD,
    dwEventState: DWORD,
    cbAtr: DWORD,
    rgbAtr: koffi.array('uint8_t', atrSize, 'Array'),
  });
  const fn = <A extends unknown[]>(name: string, args: unknown[]): Native<A> =>
    lib.func(name, LONG, args as never);
  winscard = {
    library: lib,
    establish: fn('SCardEstablishContext', [DWORD, 'void *', 'void *', koffi.out(koffi.pointer(HANDLE))]),
    release: fn('SCardReleaseContext', [HANDLE]),
    cancel: fn('SCardCancel', [HANDLE]),
    listReaders: fn(`SCardListReaders${suffix}`, [
      HANDLE,
      'const char *',
      'uint8_t *',
      koffi.inout(koffi.pointer(DWORD)),
    ]),
    getStatusChange: fn(`SCardGetStatusChange${suffix}`, [
      HANDLE,
      DWORD,
      koffi.inout(koffi.pointer(readerState)),
      DWORD,
    ]),
    connect: fn(`SCardConnect${suffix}`, [
      HANDLE,
      'const char *',
      DWORD,
      DWORD,
      koffi.out(koffi.pointer(HANDLE)),
      koffi.out(koffi.pointer(DWORD)),
    ]),
    disconnect: fn('SCardDisconnect', [HANDLE, DWORD]),
    transmit: fn('SCardTransmit', [
      HANDLE,
      koffi.pointer(ioRequest),
      'const uint8_t *',
      DWORD,
      'void *',
      'uint8_t *',
      koffi.inout(koffi.pointer(DWORD)),
    ]),
    dwordSize: koffi.sizeof(DWORD),
    encodePci(protocol) {
      const pci = offHeap(koffi.sizeof(ioRequest));
      koffi.encode(pci, 0, ioRequest, { dwProtocol: protocol, cbPciLength: pci.length });
      return pci;
    },
    atrSize,
  };
  return winscard;
}

/** LONG is signed on Windows and macOS: read return codes as the unsigned values winscard.h lists. */
const code = (rv: number): number => rv >>> 0;

/** The message format the rest of the host parses for the SCARD code (see pcscErrors.ts). */
function scardError(call: string, rv: number): Error {
  return new Error(`${call} error (0x${code(rv).toString(16).padStart(8, '0')})`);
}

function check(call: string, rv: number): void {
  if (code(rv) !== SCARD_S_SUCCESS) throw scardError(call, rv);
}

function onWorker<A extends unknown[]>(native: Native<A>, ...args: A): Promise<number> {
  return new Promise((resolve, reject) =>
    native.async(...args, (err: unknown, rv: number) => (err ? reject(asError(err)) : resolve(code(rv)))),
  );
}

function establish(api: Winscard): Handle {
  const context: Handle[] = [0];
  check('SCardEstablishContext', api.establish(SCARD_SCOPE_SYSTEM, null, null, context));
  return context[0]!;
}

function listReaders(api: Winscard, context: Handle): string[] {
  const length = [0];
  let rv = code(api.listReaders(context, null, null, length));
  if (rv === SCARD_E_NO_READERS_AVAILABLE) return [];
  check('SCardListReaders', rv);
  const buffer = Buffer.alloc(Number(length[0]));
  rv = code(api.listReaders(context, null, buffer, length));
  if (rv === SCARD_E_NO_READERS_AVAILABLE) return [];
  check('SCardListReaders', rv);
  // A multi-string: names separated by NUL, ended by an empty name.
  return buffer
    .subarray(0, Number(length[0]))
    .toString('utf8')
    .split('\0')
    .filter((name) => name.length > 0);
}

export class KoffiPcscBackend implements PcscBackend {
  private api: Winscard | undefined;
  private context: Handle | undefined;
  private stopped = false;

  constructor(private readonly open: () => Winscard = () => openWinscard()) {}

  start(listener: PcscListener): void {
    const api = this.open();
    this.api = api;
    // Throws when the service is not running, as the seam asks.
    this.context = establish(api);
    void this.watch(api, this.context, listener);
  }

  stop(): void {
    this.stopped = true;
    // Wakes the waiting SCardGetStatusChange; the watch loop then releases the context.
    if (this.api && this.context !== undefined) this.api.cancel(this.context);
  }

  async connect(reader: string): Promise<CardChannel> {
    const api = this.api ?? this.open();
    // Each card connection has its own context: pcsc-lite serialises calls per context, and the
    // monitoring context spends its life inside SCardGetStatusChange.
    const context = establish(api);
    const card: Handle[] = [0];
    const protocol = [0];
    const rv = await onWorker(
      api.connect,
      context,
      reader,
      SCARD_SHARE_SHARED,
      SCARD_PROTOCOL_T0_T1,
      card,
      protocol,
    );
    if (rv !== SCARD_S_SUCCESS) {
      api.release(context);
      throw scardError('SCardConnect', rv);
    }
    return new KoffiChannel(api, context, card[0]!, Number(protocol[0]));
  }

  /** Reports every reader change until stopped or the service fails. */
  private async watch(api: Winscard, context: Handle, listener: PcscListener): Promise<void> {
    const known = new Map<string, number>(); // reader name → the state we last saw
    let pnpState = 0;
    try {
      while (!this.stopped) {
        const names = listReaders(api, context);
        for (const name of [...known.keys()]) {
          if (names.includes(name)) continue;
          known.delete(name);
          listener.readerRemoved(name);
        }
        for (const name of names) {
          if (known.has(name)) continue;
          known.set(name, 0); // SCARD_STATE_UNAWARE: the first wait answers at once with the state
          listener.readerAdded(name);
        }
        const states: ReaderStateStruct[] = [...known, [PNP_READER, pnpState] as const].map(
          ([szReader, dwCurrentState]) => ({
            szReader,
            pvUserData: null,
            dwCurrentState,
            dwEventState: 0,
            cbAtr: 0,
            rgbAtr: new Array<number>(api.atrSize).fill(0),
          }),
        );
        const rv = await onWorker(api.getStatusChange, context, INFINITE, states, states.length);
        if (this.stopped) break;
        // A reader unplugged while we waited: list again.
        if (rv === SCARD_E_TIMEOUT || rv === SCARD_E_UNKNOWN_READER || rv === SCARD_E_READER_UNAVAILABLE)
          continue;
        if (rv !== SCARD_S_SUCCESS) throw scardError('SCardGetStatusChange', rv);
        for (const state of states) {
          const event = Number(state.dwEventState);
          if (state.szReader === PNP_READER || !(event & STATE.CHANGED)) continue;
          const name = state.szReader;
          if (!known.has(name)) continue;
          known.set(name, event & ~STATE.CHANGED);
          if (event & (STATE.UNKNOWN | STATE.UNAVAILABLE)) continue; // going away: the next list says so
          const present = (event & STATE.PRESENT) !== 0 && (event & STATE.MUTE) === 0;
          const atr = Buffer.from(state.rgbAtr.slice(0, Number(state.cbAtr)));
          listener.readerState(name, present ? { present, atr } : { present });
        }
        pnpState = Number(states[states.length - 1]!.dwEventState) & ~STATE.CHANGED;
      }
    } catch (error) {
      if (!this.stopped) listener.failed(asError(error));
    } finally {
      api.release(context);
    }
  }
}

/** An answer buffer and its length (a DWORD in memory), kept between APDUs: allocating and clearing
 * 64 KiB per APDU showed in profiles, and koffi passes Buffers as they are, where a JS struct or
 * `[length]` array is converted to C memory and back on every call. */
interface AnswerSpace {
  response: Buffer;
  length: Buffer;
}

class KoffiChannel implements CardChannel {
  private connected = true;
  private readonly pci: Buffer;
  private spare: AnswerSpace | undefined;

  constructor(
    private readonly api: Winscard,
    private readonly context: Handle,
    private readonly card: Handle,
    protocol: number,
  ) {
    this.pci = api.encodePci(protocol);
    this.spare = this.answerSpace();
  }

  async transmit(apdu: Buffer): Promise<Buffer> {
    // Taken while in use, so two transmits at once (CardAccess never does that) never share it.
    const space = this.spare ?? this.answerSpace();
    this.spare = undefined;
    try {
      // DWORD is 4 or 8 bytes, little-endian on every target; answers never reach 4 GiB.
      space.length.fill(0).writeUInt32LE(MAX_RESPONSE, 0);
      const rv = await onWorker(
        this.api.transmit,
        this.card,
        this.pci,
        apdu,
        apdu.length,
        null,
        space.response,
        space.length,
      );
      if (rv !== SCARD_S_SUCCESS) throw scardError('SCardTransmit', rv);
      return Buffer.from(space.response.subarray(0, space.length.readUInt32LE(0)));
    } finally {
      this.spare = space;
    }
  }

  private answerSpace(): AnswerSpace {
    const block = offHeap(MAX_RESPONSE + this.api.dwordSize);
    return { response: block.subarray(0, MAX_RESPONSE), length: block.subarray(MAX_RESPONSE) };
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    try {
      await onWorker(this.api.disconnect, this.card, SCARD_LEAVE_CARD);
    } finally {
      this.api.release(this.context);
    }
  }
}

/** Zeroed memory for a worker-thread call to read and write. V8 may keep a small typed array on its
 * own heap, where the garbage collector moves it; a larger one lives outside it and stays put. */
function offHeap(size: number): Buffer {
  return Buffer.alloc(Math.max(size, 256)).subarray(0, size);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
