/**
 * The .deb: dpkg-deb over a staging tree (host, copyright, changelog, lintian's overrides) with the
 * maintainer scripts; the library dependencies come from dpkg-shlibdeps, pcscd and libpcsclite1
 * (loaded at run time through koffi, so invisible to shlibdeps) are named here.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEB_POSTINST, DEB_PRERM } from './maintainerScripts.ts';
import {
  DESCRIPTION,
  HOMEPAGE,
  HOST_FILE,
  INSTALL_DIR,
  MAINTAINER,
  PACKAGE_NAME,
  RELEASE,
  SUMMARY,
} from './packageInfo.ts';

export interface PackageInput {
  /** The built host binary (dist/host/cardbridge-host). */
  host: string;
  version: string;
  outDir: string;
  /** Seconds since 1970: every timestamp in the package (SOURCE_DATE_EPOCH). */
  sourceDateEpoch: number;
}

const RUNTIME_DEPENDS = ['pcscd', 'libpcsclite1'];

/** The ELF libraries the host links against, as dpkg-shlibdeps words them. */
function shlibDepends(host: string): string[] {
  const work = mkdtempSync(path.join(tmpdir(), 'cardbridge-shlibdeps-'));
  try {
    mkdirSync(path.join(work, 'debian'));
    writeFileSync(
      path.join(work, 'debian/control'),
      `Source: ${PACKAGE_NAME}\n\nPackage: ${PACKAGE_NAME}\nArchitecture: amd64\n`,
    );
    const out = execFileSync('dpkg-shlibdeps', ['-O', `-e${host}`], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out.split('\n').find((l) => l.startsWith('shlibs:Depends='));
    return line ? line.slice('shlibs:Depends='.length).split(', ') : [];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function writeFile(file: string, text: string | Buffer, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

const copyright = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: CardBridge
Source: ${HOMEPAGE}

Files: *
Copyright: 2025-2026 CardBridge contributors
License: proprietary
 All rights reserved. The binary carries Node.js (MIT) and koffi (MIT); their notices are in
 the release's SBOM.
`;

function changelog(version: string, epoch: number): Buffer {
  const date = new Date(epoch * 1000).toUTCString().replace('GMT', '+0000');
  const text = `${PACKAGE_NAME} (${version}-${RELEASE}) unstable; urgency=medium

  * Release ${version}.

 -- ${MAINTAINER}  ${date}
`;
  return gzipSync(text, { level: 9 }); // Node writes no name and a zero time: reproducible
}

const hostInPackage = `${INSTALL_DIR.slice(1)}/${HOST_FILE}`;
/**
 * The host is Node's official binary (built by the Node project, zlib inside, not PIE) with the
 * SEA blob injected; stripping it would cut the blob out. Not for the Debian archive, so no ITP bug.
 */
const lintianOverrides = [
  `embedded-library zlib [${hostInPackage}]`,
  `unstripped-binary-or-object [${hostInPackage}]`,
  `hardening-no-pie [${hostInPackage}]`,
  'initial-upload-closes-no-bugs',
]
  .map((tag) => `${PACKAGE_NAME}: ${tag}\n`)
  .join('');

export function buildDeb(input: PackageInput): string {
  const arch = 'amd64';
  const staging = mkdtempSync(path.join(tmpdir(), 'cardbridge-deb-'));
  try {
    const host = path.join(staging, hostInPackage);
    mkdirSync(path.dirname(host), { recursive: true });
    copyFileSync(input.host, host);
    chmodSync(host, 0o755);
    const doc = path.join(staging, 'usr/share/doc', PACKAGE_NAME);
    writeFile(path.join(doc, 'copyright'), copyright);
    writeFile(path.join(doc, 'changelog.Debian.gz'), changelog(input.version, input.sourceDateEpoch));
    writeFile(path.join(staging, 'usr/share/lintian/overrides', PACKAGE_NAME), lintianOverrides);

    const md5 = (rel: string) =>
      createHash('md5')
        .update(readFileSync(path.join(staging, rel)))
        .digest('hex');
    const files = [
      hostInPackage,
      `usr/share/doc/${PACKAGE_NAME}/changelog.Debian.gz`,
      `usr/share/doc/${PACKAGE_NAME}/copyright`,
      `usr/share/lintian/overrides/${PACKAGE_NAME}`,
    ];
    const installedKb = Math.ceil(
      files.reduce((sum, f) => sum + statSync(path.join(staging, f)).size, 0) / 1024,
    );
    const control = [
      `Package: ${PACKAGE_NAME}`,
      `Version: ${input.version}-${RELEASE}`,
      `Architecture: ${arch}`,
      `Maintainer: ${MAINTAINER}`,
      `Installed-Size: ${installedKb}`,
      `Depends: ${[...shlibDepends(input.host), ...RUNTIME_DEPENDS].join(', ')}`,
      'Section: utils',
      'Priority: optional',
      `Homepage: ${HOMEPAGE}`,
      `Description: ${SUMMARY}`,
      ...DESCRIPTION.map((l) => ` ${l}`),
      '',
    ].join('\n');
    const debian = path.join(staging, 'DEBIAN');
    writeFile(path.join(debian, 'control'), control);
    writeFile(path.join(debian, 'md5sums'), files.map((f) => `${md5(f)}  ${f}\n`).join(''));
    writeFile(path.join(debian, 'postinst'), DEB_POSTINST, 0o755);
    writeFile(path.join(debian, 'prerm'), DEB_PRERM, 0o755);

    mkdirSync(input.outDir, { recursive: true });
    const out = path.join(input.outDir, `${PACKAGE_NAME}_${input.version}-${RELEASE}_${arch}.deb`);
    // Folders made by mkdtemp/mkdir carry this run's umask: make them what dpkg expects.
    execFileSync('find', [staging, '-type', 'd', '-exec', 'chmod', '0755', '{}', '+']);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z9', '--build', staging, out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(input.sourceDateEpoch) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return out;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
