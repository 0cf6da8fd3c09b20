import { describe, expect, it } from 'vitest';
import { hasMachOSignature, removeMachOSignature } from '../../native-host/sea/machoSignature.ts';

const LINKEDIT_AT = 256;
const LINKEDIT_DATA = 64;
const SIGNATURE = 32;

/** A minimal thin x86_64 Mach-O: __LINKEDIT, LC_CODE_SIGNATURE, then LC_FUNCTION_STARTS. */
function machO(options: { trailing?: number } = {}): Buffer {
  const file = Buffer.alloc(LINKEDIT_AT + LINKEDIT_DATA + SIGNATURE + (options.trailing ?? 0), 0xee);
  file.fill(0, 0, LINKEDIT_AT);
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(0x01000007, 4);
  file.writeUInt32LE(2, 12); // MH_EXECUTE
  file.writeUInt32LE(3, 16);
  file.writeUInt32LE(72 + 16 + 16, 20);
  let at = 32;
  file.writeUInt32LE(0x19, at);
  file.writeUInt32LE(72, at + 4);
  file.write('__LINKEDIT', at + 8, 'latin1');
  file.writeBigUInt64LE(0x4000n, at + 32);
  file.writeBigUInt64LE(BigInt(LINKEDIT_AT), at + 40);
  file.writeBigUInt64LE(BigInt(LINKEDIT_DATA + SIGNATURE + (options.trailing ?? 0)), at + 48);
  at += 72;
  file.writeUInt32LE(0x1d, at);
  file.writeUInt32LE(16, at + 4);
  file.writeUInt32LE(LINKEDIT_AT + LINKEDIT_DATA, at + 8);
  file.writeUInt32LE(SIGNATURE, at + 12);
  at += 16;
  file.writeUInt32LE(0x26, at);
  file.writeUInt32LE(16, at + 4);
  file.writeUInt32LE(LINKEDIT_AT, at + 8);
  file.writeUInt32LE(8, at + 12);
  return file;
}

describe('removeMachOSignature', () => {
  it('drops the load command and the signature data, and shrinks __LINKEDIT', () => {
    const signed = machO();
    expect(hasMachOSignature(signed)).toBe(true);
    const unsigned = removeMachOSignature(signed);
    expect(hasMachOSignature(unsigned)).toBe(false);
    expect(unsigned.length).toBe(LINKEDIT_AT + LINKEDIT_DATA);
    expect(unsigned.readUInt32LE(16)).toBe(2);
    expect(unsigned.readUInt32LE(20)).toBe(72 + 16);
    expect(unsigned.readBigUInt64LE(32 + 48)).toBe(BigInt(LINKEDIT_DATA));
    // The command after the signature's moved up; where it was is now zero padding.
    expect(unsigned.readUInt32LE(32 + 72)).toBe(0x26);
    expect(unsigned.readUInt32LE(32 + 72 + 8)).toBe(LINKEDIT_AT);
    expect(unsigned.subarray(32 + 72 + 16, LINKEDIT_AT).every((b) => b === 0)).toBe(true);
    expect(unsigned.subarray(LINKEDIT_AT)).toEqual(signed.subarray(LINKEDIT_AT, LINKEDIT_AT + LINKEDIT_DATA));
  });

  it('leaves an unsigned file as it is', () => {
    const unsigned = removeMachOSignature(machO());
    expect(removeMachOSignature(unsigned)).toEqual(unsigned);
  });

  it('refuses when data follows the signature, and files that are not thin 64-bit Mach-O', () => {
    expect(() => removeMachOSignature(machO({ trailing: 16 }))).toThrow(/not at the end/);
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    expect(() => removeMachOSignature(fat)).toThrow(/thin 64-bit/);
  });
});
