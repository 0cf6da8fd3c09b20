/**
 * The texts the macOS package tree carries: the postinstall, the uninstaller IT can run (macOS
 * packages have none), the signing entitlements and build-pkg.sh, which makes the .pkg on a Mac
 * (pkgbuild, codesign and notarytool are Apple's tools; they exist only on macOS).
 */
import {
  HOST_FILE,
  INSTALL_DIR,
  INSTALLED_HOST,
  MAC_SYSTEM_BROWSERS,
  PKG_IDENTIFIER,
  macPackageName,
  type MacArch,
} from './pkgInfo.ts';

/** A value in single quotes for sh (the install folder has a space). */
export function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const browsers = MAC_SYSTEM_BROWSERS.join(',');

/**
 * Installer runs it as root with $3 = the target volume ("/" normally). The manifests must name the
 * host as the browsers will see it, so --host-path is the path on the started system.
 */
export function postinstallScript(): string {
  return `#!/bin/sh
# CardBridge: registers the installed host with Chrome, Edge, Chromium and Firefox (system-wide).
set -u
root="\${3:-/}"
host="\${root%/}"${shQuote(INSTALLED_HOST)}
if ! "$host" --version >/dev/null 2>&1; then
    echo "cardbridge-host does not start on this Mac: on Apple silicon an x64 build needs Rosetta 2" >&2
    echo "(softwareupdate --install-rosetta --agree-to-license); an unsigned build must be signed first." >&2
    exit 1
fi
exec "$host" install --scope system --browser ${browsers} --host-path ${shQuote(INSTALLED_HOST)} --root "$root"
`;
}

/**
 * Removes what the package installed: the registration (by the host itself; if it cannot start,
 * the manifest files named here, which the registration module gives), the folder, the receipt.
 */
export function uninstallScript(manifestPaths: readonly string[]): string {
  return `#!/bin/sh
# CardBridge: removes the host and its browser registration from this Mac. Run with sudo.
set -u
dir=${shQuote(INSTALL_DIR)}
if ! "$dir/${HOST_FILE}" uninstall --scope system --browser ${browsers} >/dev/null 2>&1; then
    rm -f ${manifestPaths.map(shQuote).join(' \\\n        ')}
fi
rm -rf "$dir"
pkgutil --forget ${PKG_IDENTIFIER} >/dev/null 2>&1 || true
echo "CardBridge removed."
`;
}

/**
 * Hardened runtime for Node: V8 needs JIT memory, and koffi's native file is written out of the
 * binary at run time, so it is not signed by the organisation (library validation off).
 */
export const ENTITLEMENTS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>com.apple.security.cs.allow-jit</key>
  <true/>
  <key>com.apple.security.cs.allow-unsigned-executable-memory</key>
  <true/>
  <key>com.apple.security.cs.disable-library-validation</key>
  <true/>
</dict>
</plist>
`;

/** Run on a Mac inside the tree: signs the host, builds the .pkg, optionally notarises it. */
export function buildPkgScript(version: string, arch: MacArch): string {
  const pkg = `${macPackageName(version, arch)}.pkg`;
  return `#!/bin/sh
# Makes ${pkg} from this folder. macOS only: codesign, pkgbuild and xcrun
# notarytool/stapler are Apple's tools (Xcode command line tools).
#   APP_IDENTITY='Developer ID Application: <organisation> (<team id>)' \\
#   INSTALLER_IDENTITY='Developer ID Installer: <organisation> (<team id>)' \\
#   NOTARY_PROFILE=<notarytool keychain profile> ./build-pkg.sh
# Without APP_IDENTITY the host is signed ad hoc (Apple silicon runs nothing unsigned) and the
# .pkg is unsigned: for a test Mac only; Gatekeeper refuses such a package when downloaded.
set -eu
cd "$(dirname "$0")"
host=${shQuote(`root${INSTALLED_HOST}`)}
if [ -n "\${APP_IDENTITY:-}" ]; then
    codesign --force --sign "$APP_IDENTITY" --options runtime --timestamp \\
        --entitlements entitlements.plist "$host"
else
    codesign --force --sign - "$host"
fi
codesign --verify --verbose "$host"
pkgbuild --root root --scripts scripts --identifier ${PKG_IDENTIFIER} --version ${version} \\
    --install-location / --ownership recommended \\
    \${INSTALLER_IDENTITY:+--sign "$INSTALLER_IDENTITY"} ${pkg}
if [ -n "\${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit ${pkg} --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple ${pkg}
fi
echo "built ${pkg}"
`;
}
