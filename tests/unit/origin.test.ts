/**
 * The shared origin parser and its policies. The host's last origin check: only a bare
 * `https://host[:port]` (as a browser serialises an origin) or an origin listed exactly as a
 * development origin may ask for card operations. (The extension's page allow-list, the configured
 * origins and the portal address have their own files under tests/unit/extension/.)
 */
import { describe, expect, it } from 'vitest';
import {
  FIREFOX_EXTENSIONS,
  hostAllowsOrigin,
  isCorsOriginAllowed,
  isValidCorsEntry,
  isValidPortalOrigin,
  MAX_PORTAL_ORIGIN_LENGTH,
  parseOrigin,
} from '../../shared/protocol/origin.ts';

describe('hostAllowsOrigin: https origins', () => {
  it.each([
    'https://eservice.nhi.gov.tw',
    'https://example.com:8443',
    'https://localhost',
    'https://127.0.0.1:8443',
    'https://[::1]:8443',
    'https://xn--bcher-kva.example',
  ])('allows %s', (origin) => {
    expect(hostAllowsOrigin(origin)).toBe(true);
  });

  it.each([
    ['plain http', 'http://eservice.nhi.gov.tw'],
    ['http on localhost', 'http://127.0.0.1:8443'],
    ['a path', 'https://eservice.nhi.gov.tw/login'],
    ['a trailing slash', 'https://eservice.nhi.gov.tw/'],
    ['a query', 'https://eservice.nhi.gov.tw?x=1'],
    ['a fragment', 'https://eservice.nhi.gov.tw#top'],
    ['user info', 'https://user@eservice.nhi.gov.tw'],
    ['user and password', 'https://user:pw@eservice.nhi.gov.tw'],
    ['the default port spelt out (a browser never sends it)', 'https://eservice.nhi.gov.tw:443'],
    ['an upper-case host (a browser lower-cases it)', 'https://EService.nhi.gov.tw'],
    ['a Unicode host (a browser sends punycode)', 'https://bücher.example'],
    ['an opaque origin', 'null'],
    ['an extension origin', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['a Firefox extension origin', 'moz-extension://0b1c2d3e-0000-4000-8000-000000000000'],
    ['a file URL', 'file:///C:/page.html'],
    ['a wss URL', 'wss://eservice.nhi.gov.tw'],
    ['a data URL', 'data:text/html,hi'],
    ['a host without scheme', 'eservice.nhi.gov.tw'],
    ['garbage', 'not an origin'],
    ['an empty string', ''],
    ['surrounding spaces', ' https://eservice.nhi.gov.tw'],
  ])('refuses %s', (_name, origin) => {
    expect(hostAllowsOrigin(origin)).toBe(false);
  });

  it('answers the same when asked again (valid origins are remembered, refused ones are not)', () => {
    for (let i = 0; i < 3; i++) {
      expect(hostAllowsOrigin('https://eservice.nhi.gov.tw')).toBe(true);
      expect(hostAllowsOrigin('https://eservice.nhi.gov.tw/')).toBe(false);
      expect(hostAllowsOrigin('http://eservice.nhi.gov.tw')).toBe(false);
    }
  });
});

describe('hostAllowsOrigin: development origins', () => {
  const dev = ['http://127.0.0.1:8443', 'http://localhost:3000'];

  it('allows a listed origin exactly as written', () => {
    expect(hostAllowsOrigin('http://127.0.0.1:8443', dev)).toBe(true);
    expect(hostAllowsOrigin('http://localhost:3000', dev)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:8444',
    'http://127.0.0.1',
    'http://127.0.0.1:8443/',
    'http://127.0.0.1:8443/path',
    'http://LOCALHOST:3000',
    'http://localhost:3000?x',
    'http://localhost',
  ])('refuses %s, which is not on the list as written', (origin) => {
    expect(hostAllowsOrigin(origin, dev)).toBe(false);
  });

  it('does not loosen the https rule for other origins', () => {
    expect(hostAllowsOrigin('https://example.com', dev)).toBe(true);
    expect(hostAllowsOrigin('https://example.com/', dev)).toBe(false);
  });

  it('allows nothing but https without a development list', () => {
    expect(hostAllowsOrigin('http://127.0.0.1:8443')).toBe(false);
    expect(hostAllowsOrigin('http://127.0.0.1:8443', [])).toBe(false);
  });
});

describe('parseOrigin', () => {
  it('reads a serialised origin', () => {
    expect(parseOrigin('https://eservice.nhi.gov.tw:8443')).toEqual({
      origin: 'https://eservice.nhi.gov.tw:8443',
      protocol: 'https:',
      hostname: 'eservice.nhi.gov.tw',
    });
    expect(parseOrigin('http://[::1]:8780')?.hostname).toBe('[::1]');
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['not a URL', 'eservice.nhi.gov.tw'],
    ['a path', 'https://eservice.nhi.gov.tw/x'],
    ['a trailing slash', 'https://eservice.nhi.gov.tw/'],
    ['the default port', 'https://eservice.nhi.gov.tw:443'],
    ['an upper-case host', 'https://EService.nhi.gov.tw'],
    ['user info', 'https://u@eservice.nhi.gov.tw'],
    ['an opaque origin', 'data:text/plain,hi'],
  ])('refuses %s', (_label, text) => {
    expect(parseOrigin(text)).toBeUndefined();
  });
});

describe('isValidPortalOrigin (the portal binds logins to it; the extension talks to it)', () => {
  it.each([
    'https://portal.example.tw',
    'https://portal.example.tw:8443',
    'http://127.0.0.1:8780',
    'http://localhost:3000',
    'http://[::1]:8780',
  ])('accepts %s', (origin) => {
    expect(isValidPortalOrigin(origin)).toBe(true);
  });

  it.each([
    ['http on another host', 'http://portal.example.tw'],
    ['http on a look-alike host', 'http://localhost.example.tw'],
    ['a path', 'https://portal.example.tw/api'],
    ['not a string', undefined],
    ['too long', `https://${'a'.repeat(MAX_PORTAL_ORIGIN_LENGTH)}.tw`],
  ])('refuses %s', (_label, origin) => {
    expect(isValidPortalOrigin(origin)).toBe(false);
  });
});

describe('CORS list entries and origins (the portal)', () => {
  it.each([
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    'moz-extension://12345678-1234-1234-1234-123456789abc',
    FIREFOX_EXTENSIONS,
    'https://clerk-desk.example.tw',
    'http://127.0.0.1:5173',
  ])('accepts the entry %s', (entry) => {
    expect(isValidCorsEntry(entry)).toBe(true);
  });

  it.each(['https://clerk-desk.example.tw/', 'chrome-extension://abc/page.html', '*', 'not an origin'])(
    'refuses the entry %s',
    (entry) => {
      expect(isValidCorsEntry(entry)).toBe(false);
    },
  );

  it('matches listed origins exactly, and any Firefox extension page only with the wildcard', () => {
    const firefox = 'moz-extension://12345678-1234-1234-1234-123456789abc';
    expect(isCorsOriginAllowed('https://clerk-desk.example.tw', ['https://clerk-desk.example.tw'])).toBe(
      true,
    );
    expect(isCorsOriginAllowed('https://clerk-desk.example.tw:8443', ['https://clerk-desk.example.tw'])).toBe(
      false,
    );
    expect(isCorsOriginAllowed(firefox, [])).toBe(false);
    expect(isCorsOriginAllowed(firefox, [FIREFOX_EXTENSIONS])).toBe(true);
    expect(isCorsOriginAllowed('moz-extension://not-a-uuid', [FIREFOX_EXTENSIONS])).toBe(false);
    expect(
      isCorsOriginAllowed('chrome-extension://abcdefghijklmnopabcdefghijklmnop', [FIREFOX_EXTENSIONS]),
    ).toBe(false);
  });
});
