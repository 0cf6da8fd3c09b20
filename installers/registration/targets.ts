/**
 * Turns the location table into the concrete places to write for one OS, scope and browser list:
 * the manifest file, on Windows the registry key naming it, and how far up empty folders may be
 * removed again on uninstall.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.ts';
import { BROWSER_FAMILY, type BrowserFamily, type BrowserId, type HostOs, type Scope } from './browsers.ts';
import { HOST_LOCATIONS, LINUX_LIB64_FIREFOX_SYSTEM, type HostLocation } from './locations.ts';

export interface RegistrationEnv {
  home: string;
  /** Linux: Chromium-family browsers keep their user data here ($XDG_CONFIG_HOME). */
  xdgConfigHome?: string | undefined;
  /** Put in front of every system folder: a package build's staging root, or a test's temp folder. */
  systemRoot?: string | undefined;
  /** Windows: where per-user manifests are written (%LOCALAPPDATA%). */
  localAppData?: string | undefined;
  /** Windows: where machine-wide manifests are written (%ProgramFiles%). */
  programFiles?: string | undefined;
  /** Linux: the system's Firefox reads /usr/lib64/mozilla (Fedora, openSUSE), not /usr/lib/mozilla. */
  firefoxLib64?: boolean | undefined;
}

export interface RegistrationTarget {
  browser: BrowserId;
  family: BrowserFamily;
  scope: Scope;
  manifestPath: string;
  /** Windows: the key whose default value is manifestPath. */
  registryKey?: string;
  /** Uninstall removes folders left empty up to, not including, this one. */
  pruneUpTo: string;
  source: string;
}

export interface ResolvedTargets {
  targets: RegistrationTarget[];
  /** Browsers with no documented place for this OS and scope. */
  unsupported: Array<{ browser: BrowserId; source: string }>;
}

const MANIFEST_FILE = `${NATIVE_HOST_NAME}.json`;

export function registrationEnvFrom(env: NodeJS.ProcessEnv = process.env, home = homedir()): RegistrationEnv {
  return {
    home,
    xdgConfigHome: env.XDG_CONFIG_HOME || undefined,
    localAppData: env.LOCALAPPDATA || undefined,
    programFiles: env.ProgramFiles || undefined,
    firefoxLib64: process.platform === 'linux' && existsSync('/usr/lib64/mozilla'),
  };
}

function locationFor(os: HostOs, scope: Scope, browser: BrowserId, env: RegistrationEnv): HostLocation {
  if (os === 'linux' && scope === 'system' && browser === 'firefox' && env.firefoxLib64) {
    return LINUX_LIB64_FIREFOX_SYSTEM;
  }
  return HOST_LOCATIONS[os][scope][browser];
}

const pathsFor = (os: HostOs) => (os === 'win32' ? path.win32 : path.posix);

/**
 * Folders of the operating system itself (FHS, macOS): uninstall never removes them even when
 * empty (Debian's base-files ships an empty /etc/opt). Deepest first.
 */
const SYSTEM_FOLDERS = [
  '/etc/opt',
  '/etc',
  '/usr/lib64',
  '/usr/lib',
  '/Library/Application Support',
  '/Library',
];

/** A folder template from the table with its variable replaced, and where pruning stops. */
function expandFolder(template: string, env: RegistrationEnv): { dir: string; pruneUpTo: string } {
  const p = path.posix;
  const config = env.xdgConfigHome ?? p.join(env.home, '.config');
  if (template.startsWith('{config}/')) {
    // An empty ~/.config made by install goes again on uninstall; an explicit XDG folder stays.
    return { dir: p.join(config, template.slice(9)), pruneUpTo: env.xdgConfigHome ?? env.home };
  }
  if (template.startsWith('{home}/'))
    return { dir: p.join(env.home, template.slice(7)), pruneUpTo: env.home };
  const root = env.systemRoot ?? '/';
  const floor =
    SYSTEM_FOLDERS.find((f) => template.startsWith(`${f}/`)) ?? `/${template.split('/')[1] ?? ''}`;
  return { dir: p.join(root, template), pruneUpTo: p.join(root, floor) };
}

/** Windows: the browsers read only the registry; the manifest files are ours to place, one per browser. */
function windowsManifestDir(
  scope: Scope,
  browser: BrowserId,
  env: RegistrationEnv,
): { dir: string; base: string } {
  const w = path.win32;
  const base =
    scope === 'user'
      ? (env.localAppData ?? w.join(env.home, 'AppData', 'Local'))
      : (env.programFiles ?? 'C:\\Program Files');
  return { dir: w.join(base, 'CardBridge', 'NativeMessagingHosts', browser), base };
}

export function resolveTargets(
  os: HostOs,
  scope: Scope,
  browsers: readonly BrowserId[],
  env: RegistrationEnv,
): ResolvedTargets {
  const result: ResolvedTargets = { targets: [], unsupported: [] };
  for (const browser of browsers) {
    const location = locationFor(os, scope, browser, env);
    const common = { browser, family: BROWSER_FAMILY[browser], scope, source: location.source };
    if (location.kind === 'none') {
      result.unsupported.push({ browser, source: location.source });
    } else if (location.kind === 'registry') {
      const { dir, base } = windowsManifestDir(scope, browser, env);
      result.targets.push({
        ...common,
        manifestPath: pathsFor(os).join(dir, MANIFEST_FILE),
        registryKey: `${location.key}\\${NATIVE_HOST_NAME}`,
        pruneUpTo: base,
      });
    } else {
      const { dir, pruneUpTo } = expandFolder(location.folder, env);
      result.targets.push({ ...common, manifestPath: path.posix.join(dir, MANIFEST_FILE), pruneUpTo });
    }
  }
  return result;
}

/**
 * A Chromium started with its own user data folder (--user-data-dir: the demo's and the tests'
 * profiles) reads user-level hosts from that folder's NativeMessagingHosts (Chrome's docs).
 */
export function chromiumProfileTarget(userDataDir: string): RegistrationTarget {
  return {
    browser: 'chromium',
    family: 'chromium',
    scope: 'user',
    manifestPath: path.join(userDataDir, 'NativeMessagingHosts', MANIFEST_FILE),
    pruneUpTo: userDataDir,
    source: HOST_LOCATIONS.linux.user.chromium.source,
  };
}
