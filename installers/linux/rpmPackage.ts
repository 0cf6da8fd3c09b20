/**
 * The .rpm (Fedora, RHEL, openSUSE): rpmbuild with a generated spec. The host binary is a Node
 * single executable: rpmbuild's strip and debug-info steps would cut the SEA blob out of it, so
 * they are switched off. Requires the pcscd daemon (pcsc-lite) and libpcsclite by its soname,
 * which Fedora (pcsc-lite-libs) and openSUSE (libpcsclite1) both provide.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PackageInput } from './debPackage.ts';
import { RPM_POST, RPM_PREUN } from './maintainerScripts.ts';
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

export const RPM_REQUIRES = ['pcsc-lite', 'libpcsclite.so.1()(64bit)'];

function spec(input: PackageInput): string {
  return `%global debug_package %{nil}
%global __os_install_post %{nil}
%global __strip /bin/true
%define _build_id_links none
%define _buildhost cardbridge-build
%define use_source_date_epoch_as_buildtime 1
%define clamp_mtime_to_source_date_epoch 1
%define _source_payload w9.gzdio
%define _binary_payload w9.gzdio

Name: ${PACKAGE_NAME}
Version: ${input.version}
Release: ${RELEASE}
Summary: ${SUMMARY}
License: LicenseRef-CardBridge-Proprietary
URL: ${HOMEPAGE}
Packager: ${MAINTAINER}
BuildArch: x86_64
${RPM_REQUIRES.map((r) => `Requires: ${r}`).join('\n')}

%description
${DESCRIPTION.join('\n')}

%install
mkdir -p %{buildroot}${INSTALL_DIR}
install -m 0755 ${input.host} %{buildroot}${INSTALL_DIR}/${HOST_FILE}

%files
%dir ${INSTALL_DIR}
${INSTALL_DIR}/${HOST_FILE}

%post
${RPM_POST}

%preun
${RPM_PREUN}
`;
}

export function buildRpm(input: PackageInput): string {
  const top = mkdtempSync(path.join(tmpdir(), 'cardbridge-rpm-'));
  try {
    const specFile = path.join(top, `${PACKAGE_NAME}.spec`);
    writeFileSync(specFile, spec({ ...input, host: path.resolve(input.host) }));
    execFileSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, '--quiet', specFile], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(input.sourceDateEpoch) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const built = path.join(top, 'RPMS/x86_64');
    const [name] = readdirSync(built);
    if (!name) throw new Error('rpmbuild wrote no package');
    mkdirSync(input.outDir, { recursive: true });
    const out = path.join(input.outDir, name);
    renameSync(path.join(built, name), out);
    return out;
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}
