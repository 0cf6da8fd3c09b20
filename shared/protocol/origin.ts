/**
 * The one origin parser and the named policies built on it. An origin here is what a browser serialises
 * (`scheme://host[:port]`, lower-case punycode host, no default port, no path, no user info); anything
 * else is refused by parseOrigin. Who supplies the origin matters more than its shape: card operations
 * take it from the browser (the message sender), never from page data. Browser-safe.
 */

export interface ParsedOrigin {
  /** The origin, exactly as given (it equals its own serialisation). */
  origin: string;
  /** 'https:', 'http:' … (with the colon, as URL gives it). */
  protocol: string;
  hostname: string;
}

/** The origin if `text` is exactly a serialised origin, else undefined. */
export function parseOrigin(text: unknown): ParsedOrigin | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.origin !== text || url.hostname === '') return undefined;
  return { origin: text, protocol: url.protocol, hostname: url.hostname };
}

/** The reference portal on this computer (`npm start`) and development pages: loopback hosts. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https://*.nhi.gov.tw and nhi.gov.tw itself: allowed for card access without configuration. */
const NHI_HOST = /^([a-z0-9-]+\.)*nhi\.gov\.tw$/;

const isLoopbackHttp = (parsed: ParsedOrigin) =>
  parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);

/** Origins already found valid: the host checks the same few on every login, and parsing a URL
 * cost a cold request ~20 µs. Bounded, since the strings come from browsers. */
const validConfiguredOrigins = new Set<string>();

/** Policy "configured origin valid": an origin a clerk or IT may add is https://host[:port], exactly. */
export function isValidConfiguredOrigin(origin: unknown): origin is string {
  if (typeof origin === 'string' && validConfiguredOrigins.has(origin)) return true;
  const valid = parseOrigin(origin)?.protocol === 'https:';
  if (valid && validConfiguredOrigins.size < 256) validConfiguredOrigins.add(origin as string);
  return valid;
}

/**
 * Policy "host accepts the origin": the native host's last check before a card operation (the
 * extension has applied its allow-list first). An https origin, or one listed exactly in the host's
 * development origins (e.g. http://127.0.0.1:8443).
 */
export function hostAllowsOrigin(origin: string, developmentOrigins: readonly string[] = []): boolean {
  return developmentOrigins.includes(origin) || isValidConfiguredOrigin(origin);
}

/** Which pages the extension lets use the card (see isPageOriginAllowed). */
export interface OriginSettings {
  /** Added in the options page. */
  userOrigins: readonly string[];
  /** Set by IT policy (managed storage). */
  policyOrigins: readonly string[];
  developmentMode: boolean;
}

/**
 * Policy "page origin allowed for card access": https pages of nhi.gov.tw and its subdomains; origins
 * the clerk added or IT set (exact origin); http://127.0.0.1, localhost and [::1] only while the
 * development switch is on.
 */
export function isPageOriginAllowed(origin: string, settings: OriginSettings): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (parsed.protocol === 'https:') {
    return (
      NHI_HOST.test(parsed.hostname) ||
      settings.userOrigins.includes(origin) ||
      settings.policyOrigins.includes(origin)
    );
  }
  return settings.developmentMode && isLoopbackHttp(parsed);
}

/** Longest portal origin accepted (a bound on what the verifier hashes and stores). */
export const MAX_PORTAL_ORIGIN_LENGTH = 255;

/**
 * Policy "portal origin valid": the origin a portal binds logins to and the address the bundled pages
 * talk to. An https origin, or http on a loopback host (the reference portal of `npm start`).
 */
export function isValidPortalOrigin(origin: unknown): origin is string {
  if (typeof origin !== 'string' || origin.length > MAX_PORTAL_ORIGIN_LENGTH) return false;
  const parsed = parseOrigin(origin);
  return !!parsed && (parsed.protocol === 'https:' || isLoopbackHttp(parsed));
}

/**
 * In a portal's CORS list: the pages of Firefox extensions. Firefox gives each installation of an
 * extension its own random moz-extension:// address, so a list cannot name it in advance. The portal
 * API takes bearer tokens (no cookies) and proofs bound to the portal's origin, so this widens who may
 * call it from a browser, not what a call can do.
 */
export const FIREFOX_EXTENSIONS = 'moz-extension://*';

const FIREFOX_EXTENSION_ORIGIN = /^moz-extension:\/\/[0-9a-f-]{36}$/;
/** URL gives extension schemes the origin "null", so their origins are matched by shape. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i;

/** Policy "CORS list entry valid": an origin (any scheme), an extension's origin, or FIREFOX_EXTENSIONS. */
export function isValidCorsEntry(entry: string): boolean {
  if (entry === FIREFOX_EXTENSIONS) return true;
  try {
    const url = new URL(entry);
    return url.origin === entry || (EXTENSION_ORIGIN.test(entry) && url.pathname === '');
  } catch {
    return false;
  }
}

/** Policy "CORS origin allowed": a request's Origin header is on the portal's list. */
export function isCorsOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  return allowed.includes(FIREFOX_EXTENSIONS) && FIREFOX_EXTENSION_ORIGIN.test(origin);
}
