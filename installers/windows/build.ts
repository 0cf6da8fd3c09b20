/**
 * Builds the Windows installer from dist/host/cardbridge-host.exe (npm run build:host:windows):
 *   tsx installers/windows/build.ts [--out <dir>]
 * writes <out>/CardBridge-Setup-<version>.exe (default out: dist/packages) with makensis (apt nsis).
 * Signing with the organisation's certificate comes after, see installers/README.md.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { productVersion } from '../linux/packageInfo.ts';
import { sourceDateEpoch } from '../linux/sourceDate.ts';
import { buildWindowsInstaller } from './windowsInstaller.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
const installer = buildWindowsInstaller({
  host: path.join(root, 'dist/host/cardbridge-host.exe'),
  version: productVersion(root),
  outDir: path.resolve(values.out ?? path.join(root, 'dist/packages')),
  sourceDateEpoch: sourceDateEpoch(root),
});
console.log(`built ${path.relative(root, installer)}`);
