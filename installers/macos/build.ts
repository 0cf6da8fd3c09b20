/**
 * `npm run build:macos`: the macOS package tree and its tarball from the darwin host binary
 * (`npm run build:host -- darwin-x64` first):
 *   tsx installers/macos/build.ts [--arch x64|arm64] [--host <file>] [--out <dir>]
 * writes <out>/CardBridge-<v>-macos-<arch>/ and .tar.gz (default out: dist/macos). The .pkg itself
 * is made on a Mac by the tree's build-pkg.sh (pkgbuild exists only on macOS).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SEA_TARGETS } from '../../native-host/sea/targets.ts';
import { productVersion } from '../linux/packageInfo.ts';
import { sourceDateEpoch } from '../linux/sourceDate.ts';
import { buildMacPayload } from './payload.ts';
import { MAC_ARCHES, type MacArch } from './pkgInfo.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { arch: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const arch = (values.arch ?? 'x64') as MacArch;
if (!MAC_ARCHES.includes(arch)) throw new Error(`--arch takes ${MAC_ARCHES.join(' or ')}, not ${arch}`);
const targetName = `darwin-${arch}`;
if (values.host === undefined && !(targetName in SEA_TARGETS)) {
  throw new Error(`no ${targetName} host target: give the binary with --host`);
}
const host = path.resolve(
  values.host ?? path.join(root, 'dist/host', SEA_TARGETS[targetName as keyof typeof SEA_TARGETS].binary),
);
const { tarball } = buildMacPayload({
  host,
  arch,
  version: productVersion(root),
  outDir: path.resolve(values.out ?? path.join(root, 'dist/macos')),
  sourceDateEpoch: sourceDateEpoch(root),
});
console.log(`built ${path.relative(root, tarball)}`);
