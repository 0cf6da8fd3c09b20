/** The browsers, scopes and operating systems host registration knows, and how to read them from a command line. */
import { RegistrationError } from './registrationError.ts';

export const BROWSERS = ['chrome', 'edge', 'chromium', 'firefox', 'brave'] as const;
export type BrowserId = (typeof BROWSERS)[number];

/** Chromium-family manifests name extension origins, Firefox's name add-on ids. */
export type BrowserFamily = 'chromium' | 'firefox';

export const BROWSER_FAMILY: Readonly<Record<BrowserId, BrowserFamily>> = {
  chrome: 'chromium',
  edge: 'chromium',
  chromium: 'chromium',
  brave: 'chromium',
  firefox: 'firefox',
};

export const SCOPES = ['user', 'system'] as const;
export type Scope = (typeof SCOPES)[number];

export const HOST_OSES = ['linux', 'darwin', 'win32'] as const;
export type HostOs = (typeof HOST_OSES)[number];

const isBrowser = (name: string): name is BrowserId => (BROWSERS as readonly string[]).includes(name);

/** `chrome,edge` → ['chrome', 'edge']; an unknown name is refused, not skipped. */
export function parseBrowserList(text: string): BrowserId[] {
  const names = text
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  const unknown = names.filter((n) => !isBrowser(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new RegistrationError('ERR_REGISTRATION_UNKNOWN_BROWSER', unknown.join(',') || text);
  }
  return [...new Set(names as BrowserId[])];
}

export function parseScope(text: string): Scope {
  if (text === 'user' || text === 'system') return text;
  throw new RegistrationError('ERR_REGISTRATION_UNKNOWN_SCOPE', text);
}

/** The OS this process runs on, if host registration knows it. */
export function currentHostOs(platform: NodeJS.Platform = process.platform): HostOs {
  if ((HOST_OSES as readonly string[]).includes(platform)) return platform as HostOs;
  throw new RegistrationError('ERR_REGISTRATION_UNSUPPORTED_OS', platform);
}
