/**
 * Where each browser looks for a native messaging host, per OS and scope: data only, each entry
 * with the documentation it comes from. Folder templates start with one of
 *   {config}  $XDG_CONFIG_HOME, else ~/.config (Chromium-family user data on Linux),
 *   {home}    the user's home folder,
 *   /         an absolute system folder (a test or package build may put a root prefix in front).
 * On Windows the browsers read a registry key whose default value is the manifest's path.
 */
import type { BrowserId, HostOs, Scope } from './browsers.ts';

export type HostLocation =
  | { kind: 'folder'; folder: string; source: string }
  | { kind: 'registry'; key: string; source: string }
  /** No documented place: registration refuses it rather than guessing. */
  | { kind: 'none'; source: string };

const CHROME_DOC =
  'https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location';
const EDGE_DOC =
  'https://learn.microsoft.com/microsoft-edge/extensions/developer-guide/native-messaging#step-3-register-the-native-messaging-host';
const FIREFOX_DOC =
  'https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location';
/** Brave documents no locations: it is Chromium with its own user data folder (Chrome's rule applies). */
const BRAVE_NOTE = `${CHROME_DOC} (Brave's user data folder BraveSoftware/Brave-Browser; no documented system folder)`;

const folder = (path: string, source: string): HostLocation => ({ kind: 'folder', folder: path, source });
const registry = (key: string, source: string): HostLocation => ({ kind: 'registry', key, source });

/**
 * Firefox built on a lib64 system (Fedora, openSUSE: where the .rpm goes) reads only this folder;
 * targets.ts uses it when the machine has /usr/lib64/mozilla.
 */
export const LINUX_LIB64_FIREFOX_SYSTEM: HostLocation = folder(
  '/usr/lib64/mozilla/native-messaging-hosts',
  FIREFOX_DOC,
);

export const HOST_LOCATIONS: Readonly<Record<HostOs, Record<Scope, Record<BrowserId, HostLocation>>>> = {
  linux: {
    user: {
      chrome: folder('{config}/google-chrome/NativeMessagingHosts', CHROME_DOC),
      chromium: folder('{config}/chromium/NativeMessagingHosts', CHROME_DOC),
      edge: folder('{config}/microsoft-edge/NativeMessagingHosts', EDGE_DOC),
      brave: folder('{config}/BraveSoftware/Brave-Browser/NativeMessagingHosts', BRAVE_NOTE),
      firefox: folder('{home}/.mozilla/native-messaging-hosts', FIREFOX_DOC),
    },
    system: {
      chrome: folder('/etc/opt/chrome/native-messaging-hosts', CHROME_DOC),
      chromium: folder('/etc/chromium/native-messaging-hosts', CHROME_DOC),
      edge: folder('/etc/opt/edge/native-messaging-hosts', EDGE_DOC),
      brave: { kind: 'none', source: BRAVE_NOTE },
      // Debian's path; see LINUX_LIB64_FIREFOX_SYSTEM for Fedora's.
      firefox: folder('/usr/lib/mozilla/native-messaging-hosts', FIREFOX_DOC),
    },
  },
  darwin: {
    user: {
      chrome: folder('{home}/Library/Application Support/Google/Chrome/NativeMessagingHosts', CHROME_DOC),
      chromium: folder('{home}/Library/Application Support/Chromium/NativeMessagingHosts', CHROME_DOC),
      edge: folder('{home}/Library/Application Support/Microsoft Edge/NativeMessagingHosts', EDGE_DOC),
      brave: folder(
        '{home}/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
        BRAVE_NOTE,
      ),
      firefox: folder('{home}/Library/Application Support/Mozilla/NativeMessagingHosts', FIREFOX_DOC),
    },
    system: {
      chrome: folder('/Library/Google/Chrome/NativeMessagingHosts', CHROME_DOC),
      chromium: folder('/Library/Application Support/Chromium/NativeMessagingHosts', CHROME_DOC),
      edge: folder('/Library/Microsoft/Edge/NativeMessagingHosts', EDGE_DOC),
      brave: { kind: 'none', source: BRAVE_NOTE },
      firefox: folder('/Library/Application Support/Mozilla/NativeMessagingHosts', FIREFOX_DOC),
    },
  },
  win32: {
    // Edge gets its own key: the policy NativeMessagingUserLevelHosts can make it ignore Chrome's.
    user: {
      chrome: registry('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts', CHROME_DOC),
      chromium: registry('HKCU\\Software\\Chromium\\NativeMessagingHosts', CHROME_DOC),
      edge: registry('HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts', EDGE_DOC),
      brave: registry('HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts', BRAVE_NOTE),
      firefox: registry('HKCU\\Software\\Mozilla\\NativeMessagingHosts', FIREFOX_DOC),
    },
    system: {
      chrome: registry('HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts', CHROME_DOC),
      chromium: registry('HKLM\\Software\\Chromium\\NativeMessagingHosts', CHROME_DOC),
      edge: registry('HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts', EDGE_DOC),
      brave: registry('HKLM\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts', BRAVE_NOTE),
      firefox: registry('HKLM\\Software\\Mozilla\\NativeMessagingHosts', FIREFOX_DOC),
    },
  },
};
