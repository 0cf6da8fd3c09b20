/**
 * Removes the code signature from a thin 64-bit Mach-O executable, as `codesign --remove-signature`
 * does on macOS (which this build machine is not): the LC_CODE_SIGNATURE load command goes, and
 * the signature data at the end of __LINKEDIT is cut off. postject then adds the SEA segment; the
 * result is unsigned until IT signs it (installers/README.md).
 */
const MH_MAGIC_64 = 0xfeedfacf;
const MACH_HEADER_64_SIZE = 32;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

interface LoadCommand {
  cmd: number;
  offset: number;
  size: number;
}

function loadCommands(file: Buffer): LoadCommand[] {
  const commands: LoadCommand[] = [];
  let offset = MACH_HEADER_64_SIZE;
  for (let i = 0; i < file.readUInt32LE(16); i++) {
    const size = file.readUInt32LE(offset + 4);
    commands.push({ cmd: file.readUInt32LE(offset), offset, size });
    offset += size;
  }
  return commands;
}

function segmentName(file: Buffer, command: LoadCommand): string {
  return file
    .subarray(command.offset + 8, command.offset + 24)
    .toString('latin1')
    .replace(/\0+$/, '');
}

/** The segments of the executable (name, place in the file, section names): what checks look at. */
export function machOSegments(
  file: Buffer,
): Array<{ name: string; fileOffset: number; fileSize: number; sections: string[] }> {
  checkMagic(file);
  return loadCommands(file)
    .filter((c) => c.cmd === LC_SEGMENT_64)
    .map((c) => ({
      name: segmentName(file, c),
      fileOffset: Number(file.readBigUInt64LE(c.offset + 40)),
      fileSize: Number(file.readBigUInt64LE(c.offset + 48)),
      // section_64 records (80 bytes each, name first) follow the 72-byte segment command
      sections: Array.from({ length: file.readUInt32LE(c.offset + 64) }, (_, i) =>
        file
          .subarray(c.offset + 72 + i * 80, c.offset + 72 + i * 80 + 16)
          .toString('latin1')
          .replace(/\0+$/, ''),
      ),
    }));
}

/** True when the executable carries a code signature. */
export function hasMachOSignature(file: Buffer): boolean {
  checkMagic(file);
  return loadCommands(file).some((c) => c.cmd === LC_CODE_SIGNATURE);
}

function checkMagic(file: Buffer): void {
  // Universal ("fat") files begin with 0xcafebabe; the npm Node packages are thin, one per arch.
  if (file.length < MACH_HEADER_64_SIZE || file.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new Error('not a thin 64-bit little-endian Mach-O executable');
  }
}

/** A copy of the executable without its signature (the same bytes when it has none). */
export function removeMachOSignature(input: Buffer): Buffer {
  checkMagic(input);
  const commands = loadCommands(input);
  const signature = commands.find((c) => c.cmd === LC_CODE_SIGNATURE);
  if (!signature) return Buffer.from(input);
  const dataOffset = input.readUInt32LE(signature.offset + 8);
  const dataSize = input.readUInt32LE(signature.offset + 12);
  const linkedit = commands.find((c) => c.cmd === LC_SEGMENT_64 && segmentName(input, c) === '__LINKEDIT');
  if (!linkedit) throw new Error('Mach-O without __LINKEDIT');
  const linkeditOffset = Number(input.readBigUInt64LE(linkedit.offset + 40));
  const linkeditSize = Number(input.readBigUInt64LE(linkedit.offset + 48));
  // Anything after the signature would be cut off with it: refuse rather than damage the file.
  if (dataOffset + dataSize !== input.length || linkeditOffset + linkeditSize !== input.length) {
    throw new Error('the code signature is not at the end of the file');
  }
  const file = Buffer.from(input.subarray(0, dataOffset));
  file.writeBigUInt64LE(BigInt(dataOffset - linkeditOffset), linkedit.offset + 48);
  // Close the gap the load command leaves; the freed bytes become zero padding.
  const commandsEnd = MACH_HEADER_64_SIZE + file.readUInt32LE(20);
  file.copy(file, signature.offset, signature.offset + signature.size, commandsEnd);
  file.fill(0, commandsEnd - signature.size, commandsEnd);
  file.writeUInt32LE(file.readUInt32LE(16) - 1, 16);
  file.writeUInt32LE(file.readUInt32LE(20) - signature.size, 20);
  return file;
}
