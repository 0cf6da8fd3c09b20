/**
 * TCP_QUICKACK on a virtual card's vpcd socket (lab-recipes): vpcd writes each frame as two segments,
 * and with delayed ACKs the second waits ~40 ms, so every APDU took ~44 ms and hid the host's own cost.
 * Linux clears quick-ACK mode on its own, so the card sets it again after each frame it reads. Node has
 * no setsockopt: koffi (already the host's FFI) calls libc's. Elsewhere than Linux this does nothing.
 */
import type { Socket } from 'node:net';
import { loadKoffi } from '../../native-host/src/ffi/loadKoffi.ts';

const IPPROTO_TCP = 6;
const TCP_QUICKACK = 12;

type SetSockOpt = (fd: number, level: number, name: number, value: number[], length: number) => number;
let setsockopt: SetSockOpt | null | undefined;

function libcSetSockOpt(): SetSockOpt | null {
  if (setsockopt !== undefined) return setsockopt;
  try {
    const libc = loadKoffi().load('libc.so.6');
    setsockopt = libc.func('int setsockopt(int, int, int, _In_ int *, uint32)') as SetSockOpt;
  } catch {
    setsockopt = null;
  }
  return setsockopt;
}

/** Asks the kernel to acknowledge what this socket receives at once, for now. */
export function quickAck(socket: Socket): void {
  if (process.platform !== 'linux') return;
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  const call = libcSetSockOpt();
  if (call && typeof fd === 'number' && fd >= 0) call(fd, IPPROTO_TCP, TCP_QUICKACK, [1], 4);
}
