/**
 * What the Linux packages carry and say about themselves: one description for the .deb and the
 * .rpm. The host goes to /usr/lib/cardbridge; the browsers' system manifests are written by the
 * host's own `install --scope system` (installers/registration) from the maintainer scripts, so a
 * removal takes them away again and dpkg/rpm never own files in /etc.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PACKAGE_NAME = 'cardbridge-host';
export const INSTALL_DIR = '/usr/lib/cardbridge';
export const HOST_FILE = 'cardbridge-host';
export const INSTALLED_HOST = `${INSTALL_DIR}/${HOST_FILE}`;
export const MAINTAINER = 'CardBridge packaging <packages@cardbridge.tw>';
export const HOMEPAGE = 'https://cardbridge.tw/';
export const SUMMARY = 'CardBridge native host for NHI and certificate cards';
/** At most 80 characters a line (Debian policy). */
export const DESCRIPTION = [
  'The native-messaging host of the CardBridge browser extension: it reads',
  'Taiwan NHI cards through PC/SC (pcscd) and signs with certificate cards',
  'through PKCS#11, for Chrome, Chromium, Edge and Firefox. Installing the',
  'package registers the host system-wide with each of these browsers;',
  'removing it removes the registration.',
];
/** Package release (the Debian revision and the RPM Release). */
export const RELEASE = '1';

/** The CardBridge version, from package.json (the host reports the same with --version). */
export function productVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Registering for every browser with a documented system folder (Brave has none: see installers/README). */
export const REGISTER_COMMAND = `${INSTALLED_HOST} install --scope system`;
export const UNREGISTER_COMMAND = `${INSTALLED_HOST} uninstall --scope system`;
