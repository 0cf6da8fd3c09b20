/**
 * Which origins may ask for card operations: `https://host[:port]` exactly (no path, no user info),
 * or an origin on an explicit development list (e.g. http://127.0.0.1:8443). Used by the host as a
 * last check; the extension applies its own allow-list first, with the origin from the browser.
 */
export function isOriginAllowed(origin: string, developmentOrigins: readonly string[] = []): boolean {
  if (developmentOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname !== '' && url.origin === origin;
}
