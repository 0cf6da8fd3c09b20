/**
 * Builds the Linux packages of the host from dist/host/cardbridge-host:
 *   tsx installers/linux/build.ts [--out <dir>] [--only deb|rpm]
 * writes <out>/cardbridge-host_<version>-1_amd64.deb and cardbridge-host-<version>-1.x86_64.rpm
 * (default out: dist/packages). Timestamps come from SOURCE_DATE_EPOCH, else the last commit's.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDeb } from './debPackage.ts';
import { productVersion } from './packageInfo.ts';
import { buildRpm } from './rpmPackage.ts';
import { sourceDateEpoch } from './sourceDate.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { out: { type: 'string' }, only: { type: 'string' } },
  strict: true,
});
if (values.only !== undefined && values.only !== 'deb' && values.only !== 'rpm') {
  throw new Error(`--only takes deb or rpm, not ${values.only}`);
}
const input = {
  host: path.join(root, 'dist/host/cardbridge-host'),
  version: productVersion(root),
  outDir: path.resolve(values.out ?? path.join(root, 'dist/packages')),
  sourceDateEpoch: sourceDateEpoch(root),
};
if (values.only !== 'rpm') console.log(`built ${path.relative(root, buildDeb(input))}`);
if (values.only !== 'deb') console.log(`built ${path.relative(root, buildRpm(input))}`);
