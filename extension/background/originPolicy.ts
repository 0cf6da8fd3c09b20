/**
 * Which web origins may use CardBridge. The origin always comes from the browser (the sender of a
 * message), never from page data. Allowed: https pages of nhi.gov.tw and its subdomains; origins the
 * clerk added in the options or IT set by policy (https only, exact origin); http://127.0.0.1 and
 * http://localhost only while the development switch is on.
 */

export interface OriginSettings {
  /** Added in the options page. */
  userOrigins: readonly string[];
  /** Set by IT policy (managed storage). */
  policyOrigins: readonly string[];
  developmentMode: boolean;
}

export const DEFAULT_ORIGIN_SETTINGS: OriginSettings = {
  userOrigins: [],
  policyOrigins: [],
  developmentMode: false,
};

const NHI_HOST = /^([a-z0-9-]+\.)*nhi\.gov\.tw$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.origin === origin ? url : undefined;
  } catch {
    return undefined;
  }
}

/** An origin a clerk or IT may add: https://host[:port], exactly. */
export function isValidConfiguredOrigin(origin: string): boolean {
  const url = parse(origin);
  return url?.protocol === 'https:';
}

/**
 * The portal the bundled pages talk to and the self-check compares clocks with: an https origin, or
 * the reference portal on this computer (http://127.0.0.1 or localhost, as `npm start` runs it).
 */
export function isValidPortalAddress(origin: string): boolean {
  const url = parse(origin);
  if (!url) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/** The reference portal of `npm start`; IT points clerks at the real one by policy. */
export const DEFAULT_PORTAL_ADDRESS = 'http://127.0.0.1:8780';

export function isOriginAllowed(origin: string, settings: OriginSettings): boolean {
  const url = parse(origin);
  if (!url) return false;
  if (url.protocol === 'https:') {
    return (
      NHI_HOST.test(url.hostname) ||
      settings.userOrigins.includes(origin) ||
      settings.policyOrigins.includes(origin)
    );
  }
  return url.protocol === 'http:' && settings.developmentMode && LOOPBACK.has(url.hostname);
}
