/**
 * `npm run release`: every artefact in one folder, release/:
 *   cardbridge-chrome-<v>.zip, cardbridge-firefox-<v>.zip   the extension (store upload)
 *   cardbridge-host-linux-x64                               the host binary
 *   cardbridge-host_<v>-1_amd64.deb, cardbridge-host-<v>-1.x86_64.rpm
 *   cardbridge-host-darwin-{x64,arm64}, CardBridge-<v>-macos-{x64,arm64}.tar.gz   unsigned, for a Mac
 *   cardbridge-host-win-x64.exe, CardBridge-Setup-<v>.exe    the Windows host and its installer
 *   enterprise/  policies (JSON, .reg) and update manifests for the example deployment
 *   sbom.cdx.json                                           CycloneDX 1.5
 *   SHA256SUMS
 * Builds first (host and extension) unless --no-build. Every time stamp is SOURCE_DATE_EPOCH
 * (default: the last commit's time), so two builds of one commit can be compared byte for byte;
 * installers/README.md says which artefacts match and which do not.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_DEPLOYMENT } from '../enterprise/deployment.ts';
import { writeEnterpriseFiles } from '../enterprise/writePolicies.ts';
import { buildDeb } from '../linux/debPackage.ts';
import { productVersion } from '../linux/packageInfo.ts';
import { buildRpm } from '../linux/rpmPackage.ts';
import { buildMacPayload } from '../macos/payload.ts';
import { MAC_ARCHES } from '../macos/pkgInfo.ts';
import { sourceDateEpoch } from '../linux/sourceDate.ts';
import { buildWindowsInstaller } from '../windows/windowsInstaller.ts';
import { SEA_TARGETS, hostTarget } from '../../native-host/sea/targets.ts';
import { reproducibleZip } from './reproducibleZip.ts';
import { cycloneDxSbom } from './sbom.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { 'no-build': { type: 'boolean' }, out: { type: 'string' } },
  strict: true,
});
const out = path.resolve(values.out ?? path.join(root, 'release'));
const epoch = sourceDateEpoch(root);
const version = productVersion(root);
const env = { ...process.env, SOURCE_DATE_EPOCH: String(epoch) };

if (!values['no-build']) {
  execFileSync('npm', ['run', 'build'], { cwd: root, env, stdio: 'inherit' });
  execFileSync('npm', ['run', 'build:host:windows'], { cwd: root, env, stdio: 'inherit' });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

for (const browser of ['chrome', 'firefox']) {
  reproducibleZip(
    path.join(root, 'dist', browser),
    path.join(out, `cardbridge-${browser}-${version}.zip`),
    epoch,
  );
}

const target = hostTarget();
const host = path.join(root, 'dist/host', SEA_TARGETS[target].binary);
copyFileSync(host, path.join(out, `cardbridge-host-${target}`));
const packageInput = { host, version, outDir: out, sourceDateEpoch: epoch };
buildDeb(packageInput);
buildRpm(packageInput);

// macOS: the hosts built here (unsigned) and the package trees that build-pkg.sh makes a .pkg of on a Mac.
for (const arch of MAC_ARCHES) {
  const darwin = `darwin-${arch}` as const;
  if (!values['no-build']) {
    execFileSync('npm', ['run', 'build:host', '--', darwin], { cwd: root, env, stdio: 'inherit' });
  }
  const macHost = path.join(root, 'dist/host', SEA_TARGETS[darwin].binary);
  copyFileSync(macHost, path.join(out, `cardbridge-host-${darwin}`));
  const { tarball } = buildMacPayload({
    host: macHost,
    arch,
    version,
    outDir: path.join(root, 'dist/macos'),
    sourceDateEpoch: epoch,
  });
  copyFileSync(tarball, path.join(out, path.basename(tarball)));
}

// The Windows host, cross-built here (its blob made by a Linux Node, targets.ts), and its installer.
const windowsHost = path.join(root, 'dist/host', SEA_TARGETS['win-x64'].binary);
copyFileSync(windowsHost, path.join(out, 'cardbridge-host-win-x64.exe'));
buildWindowsInstaller({ ...packageInput, host: windowsHost });

// No update_hash: the .xpi IT serves is the Firefox zip once Mozilla has signed it, a different file.
writeEnterpriseFiles(path.join(out, 'enterprise'), { ...EXAMPLE_DEPLOYMENT, version });

// The Node runtime inside each host binary released.
const runtimes = [target, 'win-x64' as const, 'darwin-x64' as const, 'darwin-arm64' as const].map((t) => ({
  name: SEA_TARGETS[t].node.package,
  version: SEA_TARGETS[t].node.version,
}));
writeFileSync(path.join(out, 'sbom.cdx.json'), `${JSON.stringify(cycloneDxSbom(root, runtimes), null, 2)}\n`);

/** Every file under out, relative, sorted. */
const files = (readdirSync(out, { recursive: true }) as string[])
  .filter((f) => statSync(path.join(out, f)).isFile())
  .sort();
const sums = files.map(
  (f) =>
    `${createHash('sha256')
      .update(readFileSync(path.join(out, f)))
      .digest('hex')}  ${f}\n`,
);
writeFileSync(path.join(out, 'SHA256SUMS'), sums.join(''));
for (const f of files) console.log(`${String(statSync(path.join(out, f)).size).padStart(11)}  release/${f}`);
console.log(
  `\nNot built here: the signed macOS .pkg (build-pkg.sh in the macOS tarball, on a Mac). The Windows files\nare unsigned: sign them with the organisation's certificate before handing them out (installers/README.md).`,
);
