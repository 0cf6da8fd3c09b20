/**
 * Removes the Authenticode signature from a PE file (node.exe is signed by the OpenJS Foundation):
 * once the SEA blob is injected that signature no longer matches, and postject needs it gone. The
 * signature is the PE "certificate table" (data directory 4), stored at the end of the file; this
 * clears the directory entry and cuts the table off. Signing with the organisation's own
 * certificate is a separate, later step (installers/README.md).
 */

const PE_SIGNATURE = 0x00004550; // "PE\0\0"
const OPTIONAL_MAGIC_PE32_PLUS = 0x20b;
const OPTIONAL_MAGIC_PE32 = 0x10b;
const SECURITY_DIRECTORY = 4;

/** Where the certificate-table entry sits in the file, after checking it is a PE file. */
function securityEntryOffset(pe: Buffer): number {
  if (pe.length < 0x40 || pe.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file (no MZ header)');
  const peHeader = pe.readUInt32LE(0x3c);
  if (pe.readUInt32LE(peHeader) !== PE_SIGNATURE) throw new Error('not a PE file (no PE signature)');
  const optional = peHeader + 24;
  const magic = pe.readUInt16LE(optional);
  // Data directories start 112 bytes into a PE32+ optional header, 96 into a PE32 one.
  const directories =
    magic === OPTIONAL_MAGIC_PE32_PLUS ? optional + 112 : magic === OPTIONAL_MAGIC_PE32 ? optional + 96 : -1;
  if (directories < 0) throw new Error(`unknown PE optional header magic 0x${magic.toString(16)}`);
  return directories + SECURITY_DIRECTORY * 8;
}

/** Whether the file carries a certificate table. */
export function hasAuthenticode(pe: Buffer): boolean {
  return pe.readUInt32LE(securityEntryOffset(pe) + 4) !== 0;
}

/** A copy of the PE file without its signature (the same bytes when it has none). */
export function stripAuthenticode(pe: Buffer): Buffer {
  const entry = securityEntryOffset(pe);
  const start = pe.readUInt32LE(entry);
  const size = pe.readUInt32LE(entry + 4);
  if (size === 0) return Buffer.from(pe);
  if (start + size !== pe.length) throw new Error('the certificate table is not at the end of the file');
  const out = Buffer.from(pe.subarray(0, start));
  out.writeUInt32LE(0, entry);
  out.writeUInt32LE(0, entry + 4);
  return out;
}
