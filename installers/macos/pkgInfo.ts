/**
 * What the macOS package carries and says about itself. The host goes to
 * /Library/Application Support/CardBridge; the browsers' system manifests are payload files and
 * the postinstall runs the installed host's own `install --scope system` (installers/registration),
 * which leaves identical manifests alone and proves the binary starts on that Mac.
 */
import type { BrowserId } from '../registration/browsers.ts';

export const PKG_IDENTIFIER = 'tw.cardbridge.host';
export const INSTALL_DIR = '/Library/Application Support/CardBridge';
export const HOST_FILE = 'cardbridge-host';
export const INSTALLED_HOST = `${INSTALL_DIR}/${HOST_FILE}`;
export const UNINSTALL_FILE = 'uninstall.sh';
/** Every browser with a documented system folder on macOS (Brave has none: see installers/README). */
export const MAC_SYSTEM_BROWSERS: readonly BrowserId[] = ['chrome', 'edge', 'chromium', 'firefox'];
export const MAC_ARCHES = ['x64', 'arm64'] as const;
export type MacArch = (typeof MAC_ARCHES)[number];

/** The folder (and tarball) name of one build: CardBridge-<v>-macos-<arch>. */
export function macPackageName(version: string, arch: MacArch): string {
  return `CardBridge-${version}-macos-${arch}`;
}
